import { DEMO_ACCOUNTS, seedDemo } from '../seeds/demo.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { appsAreBuilt, buildApps } from './build-apps.ts';
import { requireNode22 } from './require-node-22.ts';
import { startStack } from './stack.ts';

requireNode22();

// `npm start`: the whole platform on its embedded defaults, or on whatever the environment names.
let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

// A fresh checkout has no builds yet: `npm install && npm start` must still serve the apps.
if (!appsAreBuilt()) {
  console.log('Building the three apps (first start only)…');
  await buildApps();
}

const verbose = config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace';
const stack = await startStack({
  config,
  durable: true,
  ...(config.SEED_DEMO
    ? { seed: async (sql) => { if (await seedDemo(sql)) console.log('Loaded the demo data.'); } }
    : {}),
  log: (source, line) => {
    if (verbose || /error|fatal|FATAL|ERROR/.test(line)) console.log(`[${source}] ${line}`);
  },
});

// Without SMTP_URL every email lands in the development mailbox, read in the browser.
const mailboxLine = stack.mailboxUrl === null ? '' : `\n  Mailbox  ${stack.mailboxUrl}`;
// Without S3_ENDPOINT, files go to the embedded S3-API server, encrypted under DATA_DIR/s3.
const filesLine = stack.embeddedS3Endpoint === null ? '' : `\n  Files    ${stack.embeddedS3Endpoint} (S3 API, encrypted under ${config.DATA_DIR}/s3)`;
console.log(`
RestartiX is running.
  Clinic   ${stack.origin}/clinic/
  Portal   ${stack.origin}/portal/
  Console  ${stack.origin}/console/${mailboxLine}${filesLine}

Demo sign-ins (development login, no password):
${DEMO_ACCOUNTS.map((account) => `  ${account.email.padEnd(28)} ${account.description}`).join('\n')}

Ctrl-C stops everything; data stays in ${config.DATA_DIR}/.
`);

let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping zero-cache, the API and PostgreSQL…`);
  stack.stop().then(() => process.exit(0), (error: unknown) => {
    console.error(error);
    process.exit(1);
  });
};
process.on('SIGINT', () => { shutdown('SIGINT'); });
process.on('SIGTERM', () => { shutdown('SIGTERM'); });
