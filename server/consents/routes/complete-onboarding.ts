import { z } from 'zod';
import { parseInput } from '../../api-v1/input.ts';
import { authenticatePerson } from '../../files/people-only.ts';
import type { ConsentDeps, ConsentsRouter } from '../deps.ts';
import { completeOnboarding } from '../onboarding.ts';

export const ZOnboardingBody = z.object({
  organizationId: z.uuid(),
  platformTermsVersion: z.number().int().min(1).nullable(),
  privacyNoticeVersion: z.number().int().min(1).nullable(),
  choices: z.record(z.string().regex(/^[a-z][a-z0-9_]{1,62}$/), z.boolean()).default({}),
});
export type TOnboardingBody = z.infer<typeof ZOnboardingBody>;

/** POST /api/v1/me/onboarding — the consent block after joining: acknowledgements, choices, then sharing the profile. */
export function completeOnboardingRoute(router: ConsentsRouter, deps: ConsentDeps): void {
  router.post('/me/onboarding', async (ctx) => {
    const auth = await authenticatePerson(deps.authenticate, ctx.get('authorization'), ctx.state.request);
    const body = parseInput(ZOnboardingBody, ctx.request.body);
    ctx.body = { onboarding: await completeOnboarding(deps.sql, auth, ctx.state.request, body) };
  });
}
