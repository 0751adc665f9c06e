import { describe, expect, it } from 'vitest';
import { PASSWORD_LENGTH, passwordProblem } from './password-policy.ts';

const noSecondFactor = { hasSecondFactor: false };
const withSecondFactor = { hasSecondFactor: true };

describe('password policy (NIST SP 800-63B)', () => {
  it('asks for 15 characters without a second factor and 8 with one', () => {
    expect(passwordProblem('fourteen chars', noSecondFactor)).toEqual({ code: 'PASSWORD_TOO_SHORT', min: 15 });
    expect(passwordProblem('fifteen letters', noSecondFactor)).toBeNull();
    expect(passwordProblem('seven c', withSecondFactor)).toEqual({ code: 'PASSWORD_TOO_SHORT', min: 8 });
    expect(passwordProblem('gazon ud', withSecondFactor)).toBeNull();
  });

  it('accepts at least 64 characters and refuses beyond the ceiling', () => {
    expect(passwordProblem('o frază lungă despre genunchi și umeri '.repeat(3).slice(0, 64), noSecondFactor)).toBeNull();
    expect(passwordProblem('x'.repeat(PASSWORD_LENGTH.max + 1), noSecondFactor)).toEqual({ code: 'PASSWORD_TOO_LONG', max: 128 });
  });

  it('counts characters, not bytes: diacritics and emoji are one each', () => {
    expect(passwordProblem('șțăîâșțăîâșțăî', noSecondFactor)).toMatchObject({ code: 'PASSWORD_TOO_SHORT' });
    expect(passwordProblem('🦵🦶 genunchi bun', noSecondFactor)).toBeNull();
  });

  it('has no composition rules: lowercase words with spaces pass', () => {
    expect(passwordProblem('kinetoterapie la mare dimineata', noSecondFactor)).toBeNull();
  });

  it('refuses passwords from the shipped blocklist, whatever their case, spaces or trailing number', () => {
    for (const common of ['password', 'Password1', 'qwerty123', 'iloveyou', 'P A S S W O R D']) {
      expect(passwordProblem(common, withSecondFactor), common).toEqual({ code: 'PASSWORD_BLOCKLISTED' });
    }
  });

  it('refuses the account\'s own context and repetitive or sequential strings', () => {
    const context = ['ioana.popescu@kinetic.test', 'Ioana Popescu'];
    expect(passwordProblem('ioana.popescu', { hasSecondFactor: true, context })).toEqual({ code: 'PASSWORD_BLOCKLISTED' });
    expect(passwordProblem('IoanaPopescu', { hasSecondFactor: true, context })).toEqual({ code: 'PASSWORD_BLOCKLISTED' });
    expect(passwordProblem('restartix', withSecondFactor)).toEqual({ code: 'PASSWORD_BLOCKLISTED' });
    expect(passwordProblem('aaaaaaaaaaaaaaaa', noSecondFactor)).toEqual({ code: 'PASSWORD_BLOCKLISTED' });
    expect(passwordProblem('zyxwvutsrqponmlkj', noSecondFactor)).toEqual({ code: 'PASSWORD_BLOCKLISTED' });
    expect(passwordProblem('abcdefghijklmnop', noSecondFactor)).toEqual({ code: 'PASSWORD_BLOCKLISTED' });
  });
});
