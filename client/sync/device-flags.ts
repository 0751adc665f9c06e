import type { AppName } from './app-name.ts';

/**
 * Small facts this browser keeps between pages about signing in, in localStorage:
 * - a sign-out that could not reach the server (the cookie is shared by the three apps, so the key
 *   is too): the next time a sign-in screen is online it ends that session first;
 * - the "shared device" choice made before an email link was sent, for when the link comes back.
 */
const SIGN_OUT_PENDING = 'restartix-identity-sign-out-pending';
const linkSharedKey = (app: AppName) => `restartix-${app}-link-shared-device`;

export function markSignOutPending(storage: Storage): void {
  storage.setItem(SIGN_OUT_PENDING, '1');
}

/** Whether a sign-out is still owed to the server; clears the mark. */
export function takeSignOutPending(storage: Storage): boolean {
  const pending = storage.getItem(SIGN_OUT_PENDING) !== null;
  storage.removeItem(SIGN_OUT_PENDING);
  return pending;
}

export function rememberLinkSharedDevice(app: AppName, sharedDevice: boolean, storage: Storage): void {
  if (sharedDevice) storage.setItem(linkSharedKey(app), '1');
  else storage.removeItem(linkSharedKey(app));
}

/** The choice made when the link was asked for (false if none); clears it. */
export function takeLinkSharedDevice(app: AppName, storage: Storage): boolean {
  const shared = storage.getItem(linkSharedKey(app)) !== null;
  storage.removeItem(linkSharedKey(app));
  return shared;
}
