import Router from '@koa/router';
import type { AppState } from '../request-context.ts';
import type { ConsentDeps } from './deps.ts';
import { acknowledgeRoute } from './routes/acknowledge.ts';
import { completeOnboardingRoute } from './routes/complete-onboarding.ts';
import { listPurposesRoute } from './routes/list-purposes.ts';
import { myConsentsRoute, pendingConsentsRoute } from './routes/my-consents.ts';
import { patientConsentsRoute, requestReminderRoute } from './routes/patient-consents.ts';
import { recordChoiceRoute } from './routes/record-choice.ts';

/**
 * The consent ledger over REST (docs/adr/0020-consent-ledger.md): the person's own consents under
 * /api/v1/me, a clinic's view of one patient's under /api/v1/patients/:id. People only, never API
 * keys. Each route authenticates, validates with its schema and calls a service.
 */
export function consentRoutes(deps: ConsentDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });
  // /me/consents/pending before anything that could read "pending" as a parameter.
  for (const route of [pendingConsentsRoute, myConsentsRoute, recordChoiceRoute, acknowledgeRoute, completeOnboardingRoute, listPurposesRoute, patientConsentsRoute, requestReminderRoute]) route(router, deps);
  return router;
}
