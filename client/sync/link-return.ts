/**
 * better-auth sends people back to the app from emails: a sign-in or verification link lands on
 * `<app>/?auth=link` (with `error=` when it failed), a password reset on `<app>/reset-password`
 * with `token=` (or `error=`). Paths are relative, so they work behind any public origin.
 */
export type Arrival =
  | { kind: 'link' }
  | { kind: 'link-failed'; error: string }
  | { kind: 'reset'; token: string }
  | { kind: 'reset-failed'; error: string };

const RESET_PATH = 'reset-password';

/** Where a sign-in link or an email verification sends the person back to. */
export function linkCallbackUrl(base: string): string {
  return `${base}?auth=link`;
}

/** Where a password-reset email sends the person to choose a new password. */
export function resetRedirectUrl(base: string): string {
  return `${base}${RESET_PATH}`;
}

/** What the address the app was opened at asks for; `base` is the app's base path (`/clinic/`). */
export function parseArrival(pathname: string, search: string, base: string): Arrival | null {
  const params = new URLSearchParams(search);
  const error = params.get('error');
  if (pathname === resetRedirectUrl(base)) {
    const token = params.get('token');
    if (error !== null || token === null || token === '') return { kind: 'reset-failed', error: error ?? 'INVALID_TOKEN' };
    return { kind: 'reset', token };
  }
  if (params.get('auth') !== 'link') return null;
  return error === null ? { kind: 'link' } : { kind: 'link-failed', error };
}
