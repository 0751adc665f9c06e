import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ZCreateLocation } from '../../sync-rules/mutators/locations.ts';
import { fieldProblems, problemsFromRejection } from './field-problems.ts';

const SHOWN = ['name', 'slug', 'address', 'city', 'country'] as const;
const valid = {
  writeId: '6f1c1d3e-8f4e-4a53-9a7e-3b1f2a9d0c11',
  id: '0b7e2c8a-1d4f-4c9b-8e3a-5f6d7c8b9a01',
  name: 'Main clinic',
  slug: 'main-clinic',
};

function problemsOf(input: Record<string, unknown>) {
  const result = ZCreateLocation.safeParse({ ...valid, ...input });
  return result.success ? {} : fieldProblems(result.error.issues, SHOWN);
}

describe('fieldProblems', () => {
  it('reports nothing for valid input', () => {
    expect(problemsOf({})).toEqual({});
  });

  it('names an empty name as required', () => {
    expect(problemsOf({ name: '   ' })).toEqual({ name: { kind: 'required' } });
  });

  it('explains the slug format', () => {
    expect(problemsOf({ slug: '-bad slug-' })).toEqual({ slug: { kind: 'slug' } });
  });

  it('gives the limit of a too long field', () => {
    expect(problemsOf({ city: 'x'.repeat(201) })).toEqual({ city: { kind: 'tooLong', max: 200 } });
  });

  it('drops problems of fields the form does not show', () => {
    expect(problemsOf({ writeId: 'not-a-uuid' })).toEqual({});
  });

  it('keeps only the first problem per field', () => {
    const result = z.object({ name: z.string().min(1).max(2) }).safeParse({ name: '' });
    expect(result.success ? {} : fieldProblems(result.error.issues, ['name'])).toEqual({ name: { kind: 'required' } });
  });
});

describe('problemsFromRejection', () => {
  it('puts a taken slug next to the slug field', () => {
    expect(problemsFromRejection('SLUG_TAKEN')).toEqual({ slug: { kind: 'taken' } });
    expect(problemsFromRejection('FORBIDDEN')).toEqual({});
    expect(problemsFromRejection(null)).toEqual({});
  });
});
