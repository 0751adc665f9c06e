import Router from '@koa/router';
import type { AppState } from '../request-context.ts';
import type { DevMailbox } from './dev-mailbox.ts';
import { mailboxPage } from './dev-mailbox-page.ts';

/**
 * The development mailbox, read over HTTP: a page for people, JSON for the e2e tests. Mounted only
 * when no SMTP_URL is set, which config refuses in production.
 * Security: the mail holds sign-in links, so this page is as open as the development login is.
 */
export function devMailboxRoutes(mailbox: Pick<DevMailbox, 'messages'>): Router<AppState> {
  const router = new Router<AppState>();
  router.get('/dev/mailbox.json', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { messages: mailbox.messages() };
  });
  router.get('/dev/mailbox', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.type = 'html';
    ctx.body = mailboxPage(mailbox.messages());
  });
  return router;
}
