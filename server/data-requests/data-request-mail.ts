import { SYSTEM_ROLE_PERMISSIONS, type OrganizationPermission } from '../../sync-rules/permissions.ts';
import { SYSTEM_ROLES } from '../../sync-rules/context.ts';
import { defineHandler } from '../jobs/define-handler.ts';
import { sendMailOnce } from '../jobs/send-mail-once.ts';
import { ZMailLocale } from '../notify/categories.ts';
import type { Notifier } from '../notify/notify.ts';
import type { DataRequestKind } from './data-request-view.ts';
import { dataRequestDecided, dataRequestRequested } from './data-request-events.ts';

/** What deciding a request of each kind takes (server/data-requests/clinic-requests.ts; 0022's policy). */
export const DECIDING_PERMISSIONS: Record<DataRequestKind, readonly OrganizationPermission[]> = {
  export: ['patients.manage', 'patients.read'],
  erasure: ['patients.manage', 'patients.delete'],
};

/** The system roles that hold every permission deciding `kind` takes; custom roles are matched in the database. */
export const decidingRoles = (kind: DataRequestKind): string[] =>
  SYSTEM_ROLES.filter((role) => DECIDING_PERMISSIONS[kind].every((permission) => SYSTEM_ROLE_PERMISSIONS[role].includes(permission)));

type Recipient = { principal_id: string; email: string; name: string; locale: string; organization_name: string };

const appUrl = (baseURL: string, app: 'clinic' | 'portal') => `${baseURL.replace(/\/+$/, '')}/${app}/data-requests`;

/**
 * Tells a clinic's deciders of a new request, and the person of the clinic's answer. Recipients are
 * looked up when the mail goes out (app_data_request_recipients, 0022), so a member who left in
 * between is not told. One mail per event and recipient, whatever retries happen.
 */
export function dataRequestMailHandler(deps: { notify: Notifier; baseURL: string }) {
  return defineHandler({
    name: 'data-request-mail',
    events: [dataRequestRequested, dataRequestDecided],
    async handle({ tx, event }) {
      const { dataRequestId, kind } = event.payload;
      if (event.name === 'data_request.requested') {
        const deciders = await tx<Recipient[]>`
          select * from app_data_request_recipients(${dataRequestId}, 'clinic', ${decidingRoles(kind)}, ${[...DECIDING_PERMISSIONS[kind]]})`;
        for (const person of deciders) {
          await sendMailOnce(deps.notify, { email: person.email, locale: ZMailLocale.parse(person.locale), name: person.name }, 'data_request_received', {
            organizationName: person.organization_name, kind, queueUrl: appUrl(deps.baseURL, 'clinic'),
          }, `data-request:${event.id}:${person.principal_id}`);
        }
        return;
      }
      const [requester] = await tx<Recipient[]>`select * from app_data_request_recipients(${dataRequestId}, 'requester', '{}'::text[], '{}'::text[])`;
      if (requester === undefined) return;
      await sendMailOnce(deps.notify, { email: requester.email, locale: ZMailLocale.parse(requester.locale), name: requester.name }, 'data_request_decided', {
        organizationName: requester.organization_name, kind, outcome: event.payload.outcome, portalUrl: appUrl(deps.baseURL, 'portal'),
      }, `data-request:${event.id}`);
    },
  });
}
