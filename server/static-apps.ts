import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Middleware } from 'koa';
import serve from 'koa-static';
import send from 'koa-send';
import type { AppState } from './request-context.ts';

export const APP_NAMES = ['clinic', 'portal', 'console'] as const;

/**
 * Serves the three PWA builds under /clinic/, /portal/ and /console/, with the SPA fallback that
 * lets a deep link load the app, and no caching of the service worker itself (so updates arrive).
 */
export function staticApps(distDir: string): Middleware<AppState> {
  const files = serve(distDir, { index: 'index.html', gzip: false, brotli: false, setHeaders: (res, path) => {
    if (path.endsWith('sw.js') || path.endsWith('.html') || path.endsWith('.webmanifest')) res.setHeader('Cache-Control', 'no-cache');
  } });
  return async (ctx, next) => {
    if (ctx.path === '/' || ctx.path === '') {
      ctx.redirect('/clinic/');
      return;
    }
    const app = APP_NAMES.find((name) => ctx.path === `/${name}` || ctx.path.startsWith(`/${name}/`));
    if (app === undefined || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) {
      await next();
      return;
    }
    // Outside /clinic/ (no trailing slash) the service worker does not control the page.
    if (ctx.path === `/${app}`) {
      ctx.redirect(`/${app}/`);
      return;
    }
    if (!existsSync(join(distDir, app, 'index.html'))) {
      ctx.status = 503;
      ctx.type = 'text/plain';
      ctx.body = `The ${app} app is not built. Run: npm run build`;
      return;
    }
    await files(ctx, () => Promise.resolve());
    if (ctx.body !== undefined && ctx.body !== null) return;
    const lastSegment = ctx.path.split('/').pop() ?? '';
    if (lastSegment.includes('.')) return; // a missing asset stays a 404
    ctx.set('Cache-Control', 'no-cache');
    await send(ctx, join(app, 'index.html'), { root: distDir });
  };
}
