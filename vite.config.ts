/// <reference types="vitest/config" />
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

export const APPS = ['clinic', 'portal', 'console'] as const;
export type AppName = (typeof APPS)[number];

const TITLES: Record<AppName, string> = {
  clinic: 'RestartiX Clinic',
  portal: 'RestartiX Portal',
  console: 'RestartiX Console',
};

const fromRoot = (path: string) => resolve(import.meta.dirname, path);

function isApp(mode: string): mode is AppName {
  return (APPS as readonly string[]).includes(mode);
}

// One build per app, chosen by --mode (three PWA plugin instances in one build collide; see
// docs/adr/0008-one-build-per-app.md). Without an app mode this is the Vitest configuration.
export default defineConfig(({ mode }) => {
  if (!isApp(mode)) {
    return {
      test: {
        include: ['{server,sync-rules,db,seeds,infra,client,bench}/**/*.test.ts'],
        globalSetup: ['infra/test/global-setup.ts'],
        testTimeout: 60_000,
        hookTimeout: 180_000,
        // Two cores: files that start zero-cache run one at a time.
        maxWorkers: 2,
      },
    };
  }
  const app = mode;
  return {
    root: fromRoot(`client/${app}`),
    base: `/${app}/`,
    publicDir: fromRoot('client/public'),
    build: { outDir: fromRoot(`dist/${app}`), emptyOutDir: true },
    plugins: [
      react(),
      VitePWA({
        registerType: 'autoUpdate',
        scope: `/${app}/`,
        manifest: {
          id: `/${app}/`,
          name: TITLES[app],
          short_name: TITLES[app],
          start_url: `/${app}/`,
          scope: `/${app}/`,
          display: 'standalone',
          theme_color: '#0f5c7a',
          background_color: '#ffffff',
          icons: [
            { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
            { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          ],
        },
        workbox: {
          globPatterns: ['**/*.{js,css,html}'],
          navigateFallback: 'index.html',
          // API and sync traffic never comes from a cache.
          navigateFallbackDenylist: [/^\/api\//, /^\/zero\//],
          runtimeCaching: [{ urlPattern: /\/api\//, handler: 'NetworkOnly' }],
        },
      }),
    ],
  };
});
