import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * Passwords per NIST SP 800-63B §3.1.1.2: a length floor that depends on whether a second factor
 * protects the account, a generous ceiling, no composition rules, and a check against passwords
 * known to be common, plus words from the account's own context. The blocklist is the 49k
 * common-password list of @zxcvbn-ts/language-common, shipped with the app (no network call).
 */
export const PASSWORD_LENGTH = { withoutSecondFactor: 15, withSecondFactor: 8, max: 128 } as const;

export type PasswordProblem =
  | { code: 'PASSWORD_TOO_SHORT'; min: number }
  | { code: 'PASSWORD_TOO_LONG'; max: number }
  | { code: 'PASSWORD_BLOCKLISTED' };

const BLOCKLIST: ReadonlySet<string> = new Set(dictionary['passwords-common'].map((word) => normalise(word)));

function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Counted in characters (code points), as people count them, not UTF-16 units or bytes. */
function length(text: string): number {
  return [...text.normalize('NFKC')].length;
}

/** One character repeated, or a run up or down the keyboard's digits and letters: "aaaa…", "1234…". */
function isRepetitiveOrSequential(text: string): boolean {
  const chars = [...text];
  if (chars.length < 2) return true;
  const codes = chars.map((char) => char.codePointAt(0) ?? 0);
  const steps = new Set(codes.slice(1).map((code, index) => code - (codes[index] ?? 0)));
  return steps.size === 1 && [...steps].every((step) => Math.abs(step) <= 1);
}

/**
 * `context` holds words an attacker would try first for this account: its email and name, the
 * product's name. A password that is one of them, or a blocklisted word with only spaces, case or
 * a trailing number changed, is refused.
 */
export function passwordProblem(password: string, options: { hasSecondFactor: boolean; context?: readonly string[] }): PasswordProblem | null {
  const size = length(password);
  const min = options.hasSecondFactor ? PASSWORD_LENGTH.withSecondFactor : PASSWORD_LENGTH.withoutSecondFactor;
  if (size > PASSWORD_LENGTH.max) return { code: 'PASSWORD_TOO_LONG', max: PASSWORD_LENGTH.max };
  if (size < min) return { code: 'PASSWORD_TOO_SHORT', min };
  const plain = normalise(password);
  const squeezed = plain.replace(/\s+/g, '');
  const withoutTrailingDigits = squeezed.replace(/\d+$/, '');
  const contextWords = ['restartix', ...(options.context ?? [])].flatMap((word) => {
    const value = normalise(word);
    return [value, value.split('@')[0] ?? value, value.replace(/\s+/g, '')];
  });
  const candidates = [plain, squeezed, withoutTrailingDigits];
  if (candidates.some((candidate) => BLOCKLIST.has(candidate) || contextWords.includes(candidate))) {
    return { code: 'PASSWORD_BLOCKLISTED' };
  }
  if (isRepetitiveOrSequential(squeezed)) return { code: 'PASSWORD_BLOCKLISTED' };
  return null;
}
