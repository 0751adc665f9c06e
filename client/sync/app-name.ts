/** The three PWAs; each keeps its own session, Zero storage and outbox. Mirrors APPS in vite.config.ts. */
export type AppName = 'clinic' | 'portal' | 'console';
