import { createRootRoute, createRoute, createRouter, useParams } from '@tanstack/react-router';
import { AccountPage } from '../ui/account/account-page.tsx';
import { NotFoundPage } from '../ui/not-found-page.tsx';
import { AcceptStaffInvitationPage } from './accept-staff-invitation-page.tsx';
import { AuditPage } from './audit-page.tsx';
import { DataRequestsPage } from './data-requests-page.tsx';
import { ClinicLayout } from './clinic-nav.tsx';
import { EditLocationPage } from './edit-location-page.tsx';
import { InvitationsPage } from './invitations-page.tsx';
import { LocationsPage } from './locations-page.tsx';
import { MembersPage } from './members-page.tsx';
import { NewLocationPage } from './new-location-page.tsx';
import { PatientTiersPage } from './patient-tiers-page.tsx';
import { PatientConsentsPage } from './patient-consents-page.tsx';
import { PrivacyNoticePage } from './privacy-notice-page.tsx';
import { NewPatientPage } from './new-patient-page.tsx';
import { PatientRoute } from './patient-page.tsx';
import { PatientsPage } from './patients-page.tsx';
import { PatientsTrashPage } from './patients-trash-page.tsx';
import { RolesPage } from './roles-page.tsx';
import { ShareLinksPage } from './share-links-page.tsx';

const rootRoute = createRootRoute({ component: ClinicLayout, notFoundComponent: NotFoundPage });

const locationsRoute = createRoute({ getParentRoute: () => rootRoute, path: '/', component: LocationsPage });

const newLocationRoute = createRoute({ getParentRoute: () => rootRoute, path: '/locations/new', component: NewLocationPage });

const editLocationRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/locations/$locationId/edit',
  component: EditLocationRoute,
});

// Not `editLocationRoute.useParams()`: the route and its component would type each other.
function EditLocationRoute() {
  const params: { locationId?: string } = useParams({ strict: false });
  return <EditLocationPage locationId={params.locationId ?? ''} />;
}

const accountRoute = createRoute({ getParentRoute: () => rootRoute, path: '/account', component: AccountPage });

const invitationsRoute = createRoute({ getParentRoute: () => rootRoute, path: '/invitations', component: InvitationsPage });
// The link of a staff invitation email (server/invitations/invitation-mail.ts).
const acceptInvitationRoute = createRoute({ getParentRoute: () => rootRoute, path: '/invitations/accept', component: AcceptStaffInvitationPage });
const membersRoute = createRoute({ getParentRoute: () => rootRoute, path: '/members', component: MembersPage });
const rolesRoute = createRoute({ getParentRoute: () => rootRoute, path: '/roles', component: RolesPage });
const shareLinksRoute = createRoute({ getParentRoute: () => rootRoute, path: '/share-links', component: ShareLinksPage });
const auditRoute = createRoute({ getParentRoute: () => rootRoute, path: '/audit', component: AuditPage });
const dataRequestsRoute = createRoute({ getParentRoute: () => rootRoute, path: '/data-requests', component: DataRequestsPage });
const tiersRoute = createRoute({ getParentRoute: () => rootRoute, path: '/tiers', component: PatientTiersPage });
const patientsRoutes = [
  createRoute({ getParentRoute: () => rootRoute, path: '/patients', component: PatientsPage }),
  createRoute({ getParentRoute: () => rootRoute, path: '/patients/new', component: NewPatientPage }),
  createRoute({ getParentRoute: () => rootRoute, path: '/patients/deleted', component: PatientsTrashPage }),
  createRoute({ getParentRoute: () => rootRoute, path: '/patients/$patientId', component: PatientRoute }),
  createRoute({ getParentRoute: () => rootRoute, path: '/patients/$patientId/consents', component: PatientConsentsPage }),
  createRoute({ getParentRoute: () => rootRoute, path: '/privacy-notice', component: PrivacyNoticePage }),
];

export const router = createRouter({
  routeTree: rootRoute.addChildren([accountRoute, locationsRoute, newLocationRoute, editLocationRoute, invitationsRoute, acceptInvitationRoute, shareLinksRoute, membersRoute, rolesRoute, auditRoute, tiersRoute, ...patientsRoutes, dataRequestsRoute]),
  basepath: import.meta.env.BASE_URL,
});
