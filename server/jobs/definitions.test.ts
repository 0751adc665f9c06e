import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { passwordResetRequested } from '../auth/auth-events.ts';
import { defineEvent } from '../events/define-event.ts';
import { invitationCreated, invitationResent } from '../invitations/invitation-events.ts';
import { defineHandler } from './define-handler.ts';
import { maintenanceJobs } from './maintenance-jobs.ts';
import { cronItemsOf, defineRecurringJob } from './recurring.ts';
import { subscriptions } from './subscriptions.ts';

const noop = () => Promise.resolve();

describe('event handlers', () => {
  it('are found by name and by the events they subscribe to', () => {
    const mail = defineHandler({ name: 'invitation-mail', events: [invitationCreated, invitationResent], handle: noop });
    const audit = defineHandler({ name: 'invitation-audit', events: [invitationCreated], maxAttempts: 3, handle: noop });
    const found = subscriptions([mail, audit]);
    expect(found.handlersOf('invitation.created', 1).map((handler) => handler.name)).toEqual(['invitation-mail', 'invitation-audit']);
    expect(found.handlersOf('invitation.resent', 1)).toEqual([mail]);
    expect(found.handlersOf('invitation.created', 2)).toEqual([]);
    expect(found.handler('invitation-audit')?.maxAttempts).toBe(3);
    expect(found.handler('nobody')).toBeNull();
  });

  it('refuse a bad name, no events, bad attempts, two handlers of one name, and an event the registry does not hold', () => {
    expect(() => defineHandler({ name: 'Mail Handler', events: [invitationCreated], handle: noop })).toThrow();
    expect(() => defineHandler({ name: 'mail', events: [], handle: noop })).toThrow();
    expect(() => defineHandler({ name: 'mail', events: [invitationCreated], maxAttempts: 0, handle: noop })).toThrow();
    const one = defineHandler({ name: 'mail', events: [invitationCreated], handle: noop });
    expect(() => subscriptions([one, defineHandler({ name: 'mail', events: [passwordResetRequested], handle: noop })])).toThrow(/two handlers/);
    // Same name and version as a registered event, but not the registry's definition.
    const lookalike = defineEvent({ name: 'invitation.created', version: 1, payload: z.object({}), description: 'not registered' });
    expect(() => subscriptions([defineHandler({ name: 'sneaky', events: [lookalike], handle: noop })])).toThrow(/not in the events registry/);
  });
});

describe('recurring jobs', () => {
  it('are named maintenance.<what>, scheduled by a valid crontab line, each once', () => {
    expect(() => defineRecurringJob({ name: 'purge', schedule: '0 3 * * *', run: noop })).toThrow(/maintenance\./);
    expect(() => defineRecurringJob({ name: 'maintenance.purge', schedule: 'every night', run: noop })).toThrow();
    const purge = defineRecurringJob({ name: 'maintenance.purge', schedule: '0 3 * * *', run: noop });
    expect(purge.maxAttempts).toBe(5);
    expect(() => cronItemsOf([purge, purge])).toThrow(/defined twice/);
    const [item] = cronItemsOf([purge]);
    expect(item).toMatchObject({ task: 'maintenance.purge', identifier: 'maintenance.purge', options: { backfillPeriod: 0, maxAttempts: 5 } });
  });

  it('of the platform parse as a schedule', () => {
    const jobs = maintenanceJobs({ files: { storage: { delete: () => Promise.resolve() }, retentionDays: 30 }, patientRetentionDays: 30 });
    expect(cronItemsOf(jobs).map((item) => item.identifier)).toEqual([
      'maintenance.erase_stale_event_secrets', 'maintenance.audit_partitions', 'maintenance.purge_deleted_files', 'maintenance.purge_deleted_patients',
      'maintenance.purge_expired_data_exports',
    ]);
  });
});
