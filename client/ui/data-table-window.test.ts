import { expect, it } from 'vitest';
import { shouldLoadMore } from './data-table-window.ts';

it('asks for more once the end of the list is near, once per length', () => {
  expect(shouldLoadMore(undefined, 50, null)).toBe(false);
  expect(shouldLoadMore(0, 0, null)).toBe(false);
  expect(shouldLoadMore(20, 50, null)).toBe(false);
  expect(shouldLoadMore(44, 50, null)).toBe(true);
  expect(shouldLoadMore(49, 50, 50)).toBe(false);
  expect(shouldLoadMore(99, 100, 50)).toBe(true);
  expect(shouldLoadMore(3, 4, null, 0)).toBe(true);
});
