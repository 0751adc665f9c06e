import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import postgres, { type Sql } from 'postgres';

export function origin(): string {
  const value = process.env.E2E_ORIGIN;
  if (value === undefined || value === '') throw new Error('E2E_ORIGIN is not set: run through `npm run test:e2e`');
  return value;
}

/** The database as it really is (bypasses RLS), for checking what landed. */
export function database(): Sql {
  return postgres(process.env.E2E_ADMIN_DATABASE_URL ?? '', { max: 2, onnotice: () => undefined });
}

export type Person = { context: BrowserContext; page: Page };

/** A person in their own browser profile, signed in through the demo accounts, in English. */
export async function signIn(browser: Browser, app: 'clinic' | 'console', email: string): Promise<Person> {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (process.env.E2E_CONSOLE !== undefined) page.on('console', (message) => { console.log(`[${email}] ${message.type()}: ${message.text()}`); });
  await page.goto(`${origin()}/${app}/`);
  // The first screen speaks Romanian for a Romanian browser-less default, and switches to English.
  await page.getByTestId('demo-account').and(page.locator(`[data-email="${email}"]`)).click();
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  await page.getByLabel(/Limbă|Language/).selectOption('en');
  // The service worker must control the page before the network goes away.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  return { context, page };
}

/** A confirmed account, made outside the browser (sign-up and its emailed link). */
export async function confirmedAccount(email: string, name: string): Promise<string> {
  const headers = { origin: origin(), 'content-type': 'application/json' };
  const signUp = await fetch(`${origin()}/api/auth/sign-up/email`, { method: 'POST', headers, body: JSON.stringify({ email, password: REAL_PASSWORD, name }) });
  expect(signUp.status).toBe(200);
  const link = await linkFromMailbox(email, 'verify-email');
  expect((await fetch(link, { redirect: 'manual' })).status).toBeLessThan(400);
  const { user } = (await signUp.json()) as { user: { id: string } };
  return user.id;
}

export function row(page: Page, name: string) {
  return page.getByTestId('location-row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${name}`) }) });
}

export async function pendingCount(page: Page, count: number, timeout?: number): Promise<void> {
  await expect(page.getByTestId('pending-count')).toHaveAttribute('data-count', String(count), timeout === undefined ? {} : { timeout });
}

/** Every value in every IndexedDB database of the page's origin, as text. */
export function dumpIndexedDb(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const request = <T,>(r: IDBRequest<T>) => new Promise<T>((resolve, reject) => {
      r.onsuccess = () => { resolve(r.result); };
      r.onerror = () => { reject(r.error ?? new Error('indexedDB request failed')); };
    });
    const parts: string[] = [];
    for (const info of await indexedDB.databases()) {
      if (info.name === undefined) continue;
      const db = await request(indexedDB.open(info.name));
      for (const store of Array.from(db.objectStoreNames)) {
        const values = await request(db.transaction(store, 'readonly').objectStore(store).getAll());
        parts.push(`${info.name}/${store}: ${JSON.stringify(values)}`);
      }
      db.close();
    }
    return parts.join('\n');
  });
}

/** The password of the people the specs sign up for real (long enough without a second factor, not on the blocklist). */
export const REAL_PASSWORD = 'genunchi umar glezna cot';

/** The newest link to `email` whose path contains `path` (and is not `after`), once the mail has arrived. */
export async function linkFromMailbox(email: string, path: string, after = ''): Promise<string> {
  let found: string | undefined;
  await expect
    .poll(async () => {
      const { messages } = (await (await fetch(`${origin()}/dev/mailbox.json`)).json()) as { messages: { to: string[]; text: string }[] };
      found = messages
        .filter((mail) => mail.to.includes(email))
        .flatMap((mail) => mail.text.match(/https?:\/\/\S+/g) ?? [])
        .find((link) => link.includes(path) && link !== after);
      return found;
    })
    .toBeDefined();
  return found ?? '';
}
