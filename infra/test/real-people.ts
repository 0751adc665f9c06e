import type { Sql } from 'postgres';
import { outboxSettled } from './outbox.ts';
import { cookieJar } from './cookie-jar.ts';

/**
 * People who sign up for real on a running stack (better-auth, the development mailbox), for tests
 * that need a verified address: accepting an invitation, a patient's own clinics.
 */

export const REAL_PASSWORD = 'genunchi umar glezna cot';

export type Mail = { to: string[]; subject: string; text: string; html: string };

/** A browser-like client of `origin`: keeps better-auth's cookies, sends our Origin. */
export function browserClient(origin: string) {
  const jar = cookieJar();
  return async (path: string, body?: unknown) => {
    const response = await fetch(`${origin}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      redirect: 'manual',
      headers: {
        origin,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        cookie: jar.header(),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    jar.absorb(response);
    return response;
  };
}

/** Every mail the development mailbox holds for `email`, newest first, once the outbox has sent what it had. */
export async function mailsTo(stack: { origin: string; admin: Sql }, email: string): Promise<Mail[]> {
  await outboxSettled(stack.admin);
  const { messages } = (await (await fetch(`${stack.origin}/dev/mailbox.json`)).json()) as { messages: Mail[] };
  return messages.filter((mail) => mail.to.includes(email));
}

export function linkIn(text: string): URL {
  const match = /https?:\/\/\S+/.exec(text);
  if (match === null) throw new Error(`no link in ${text}`);
  return new URL(match[0]);
}

export type RealPerson = {
  client: ReturnType<typeof browserClient>;
  principalId: string;
  /** An access token of the person's current session. */
  token: string;
  accessToken(): Promise<string>;
};

/** Signs up, confirms the address through the mailbox and signs in. */
export async function signUpForReal(stack: { origin: string; admin: Sql }, email: string, name: string): Promise<RealPerson> {
  const client = browserClient(stack.origin);
  const signedUp = await client('/api/auth/sign-up/email', { email, password: REAL_PASSWORD, name });
  if (signedUp.status !== 200) throw new Error(`sign-up of ${email}: ${String(signedUp.status)}`);
  const verification = (await mailsTo(stack, email)).find((mail) => mail.text.includes('/api/auth/verify-email'));
  if (verification === undefined) throw new Error(`no verification mail to ${email}`);
  const link = linkIn(verification.text);
  const verified = await client(`${link.pathname}${link.search}`);
  if (verified.status >= 400) throw new Error(`verification of ${email}: ${String(verified.status)}`);
  const signedIn = await client('/api/auth/sign-in/email', { email, password: REAL_PASSWORD });
  if (signedIn.status !== 200) throw new Error(`sign-in of ${email}: ${String(signedIn.status)}`);
  const accessToken = async () => ((await (await client('/api/auth/token')).json()) as { token: string }).token;
  const [human] = await stack.admin<{ principal_id: string }[]>`select principal_id from humans where email = ${email}`;
  if (human === undefined) throw new Error(`no principal for ${email}`);
  return { client, principalId: human.principal_id, token: await accessToken(), accessToken };
}
