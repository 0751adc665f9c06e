import { defineRecurringJob } from './recurring.ts';

/** The longest a link in an event can still be useful: an invitation lives at most 90 days. */
export const EVENT_SECRET_DAYS = 90;

/**
 * A secret normally leaves with the last handler (server/jobs/handle-event.ts). One that stays
 * (its handler keeps failing, its mail is a dead letter) is erased once no link it holds can work.
 */
export const eraseStaleEventSecrets = defineRecurringJob({
  name: 'maintenance.erase_stale_event_secrets',
  schedule: '17 3 * * *',
  async run({ sql, log }) {
    const erased = await sql`
      update domain_events set secret = null, identity_secret = null
      where (secret is not null or identity_secret is not null) and occurred_at < clock_timestamp() - make_interval(days => ${EVENT_SECRET_DAYS})`;
    log.info({ erased: erased.count }, 'stale event secrets erased');
  },
});
