/**
 * An invitation or share-link someone opened while signed out. Signing up sends them through an
 * email confirmation that lands on the app's root (see link-return.ts), often in another tab, so
 * the link is kept in localStorage until they are signed in, and then they are taken back to it.
 * Only these two pages, with a well-formed token or code, are ever kept or resumed: nothing else
 * can be smuggled into a navigation. Kept for a day: an old visit does not redirect a later sign-in.
 */

export type PendingLinkKind = 'invitation' | 'join';

/** The page (relative to the app's base, e.g. `/clinic/`) and the parameter it needs. */
const PAGES: Record<PendingLinkKind, { path: string; param: string; shape: RegExp }> = {
  invitation: { path: 'invitations/accept', param: 'token', shape: /^[A-Za-z0-9_-]{43}$/ },
  join: { path: 'join', param: 'code', shape: /^[A-Za-z0-9 -]{1,32}$/ },
};

const MAX_AGE_MS = 24 * 60 * 60 * 1000;

export type PendingLink = { kind: PendingLinkKind; value: string };
type Stored = PendingLink & { savedAt: number };

const keyFor = (app: string) => `restartix-${app}-pending-link`;

/** Which kept page an address is, if any; `base` is the app's base path (`/portal/`). */
export function pendingLinkAt(pathname: string, search: string, base: string): PendingLink | null {
  for (const kind of Object.keys(PAGES) as PendingLinkKind[]) {
    const page = PAGES[kind];
    if (pathname !== `${base}${page.path}`) continue;
    const value = new URLSearchParams(search).get(page.param);
    return value !== null && page.shape.test(value) ? { kind, value } : null;
  }
  return null;
}

/** The address of a kept page, under the app's base path. */
export function pendingLinkHref(link: PendingLink, base: string): string {
  const page = PAGES[link.kind];
  return `${base}${page.path}?${new URLSearchParams({ [page.param]: link.value }).toString()}`;
}

/** Keeps the page the app was opened at, when it is an invitation or a join link. */
export function rememberPendingLink(app: string, storage: Storage, link: PendingLink | null, now: number): void {
  if (link === null) return;
  try {
    storage.setItem(keyFor(app), JSON.stringify({ ...link, savedAt: now } satisfies Stored));
  } catch {
    // Storage can be unavailable (private mode, quota): the person opens the link again after signing in.
  }
}

function read(app: string, storage: Storage, now: number): PendingLink | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(storage.getItem(keyFor(app)) ?? 'null');
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { kind, value, savedAt } = parsed as Partial<Stored>;
  if (kind !== 'invitation' && kind !== 'join') return null;
  if (typeof value !== 'string' || !PAGES[kind].shape.test(value)) return null;
  if (typeof savedAt !== 'number' || now - savedAt > MAX_AGE_MS || savedAt > now) return null;
  return { kind, value };
}

/** The kept link, without forgetting it (for the sign-in screen's hint). */
export function peekPendingLink(app: string, storage: Storage, now: number): PendingLink | null {
  return read(app, storage, now);
}

/** The kept link, forgotten as it is taken: it is resumed once. */
export function takePendingLink(app: string, storage: Storage, now: number): PendingLink | null {
  const link = read(app, storage, now);
  try {
    storage.removeItem(keyFor(app));
  } catch {
    // Nothing kept, nothing to forget.
  }
  return link;
}
