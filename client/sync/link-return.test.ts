import { describe, expect, it } from 'vitest';
import { linkCallbackUrl, parseArrival, resetRedirectUrl } from './link-return.ts';

const BASE = '/portal/';

describe('email links coming back to the app', () => {
  it('builds relative callback addresses under the app', () => {
    expect(linkCallbackUrl(BASE)).toBe('/portal/?auth=link');
    expect(resetRedirectUrl(BASE)).toBe('/portal/reset-password');
  });

  it('recognises a sign-in or verification link, and its failure', () => {
    expect(parseArrival('/portal/', '?auth=link', BASE)).toEqual({ kind: 'link' });
    expect(parseArrival('/portal/', '?auth=link&error=INVALID_TOKEN', BASE)).toEqual({ kind: 'link-failed', error: 'INVALID_TOKEN' });
  });

  it('recognises a password reset with its token, or without one', () => {
    expect(parseArrival('/portal/reset-password', '?token=abc', BASE)).toEqual({ kind: 'reset', token: 'abc' });
    expect(parseArrival('/portal/reset-password', '?error=INVALID_TOKEN', BASE)).toEqual({ kind: 'reset-failed', error: 'INVALID_TOKEN' });
    expect(parseArrival('/portal/reset-password', '', BASE)).toEqual({ kind: 'reset-failed', error: 'INVALID_TOKEN' });
  });

  it('ignores ordinary addresses and other apps', () => {
    expect(parseArrival('/portal/', '', BASE)).toBeNull();
    expect(parseArrival('/portal/account', '?token=abc', BASE)).toBeNull();
    expect(parseArrival('/clinic/reset-password', '?token=abc', BASE)).toBeNull();
  });
});
