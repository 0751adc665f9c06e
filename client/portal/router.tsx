import { createRootRoute, createRoute, createRouter } from '@tanstack/react-router';
import { AcceptInvitationPage } from '../ui/accept-invitation-page.tsx';
import { AccountPage } from '../ui/account/account-page.tsx';
import { NotFoundPage } from '../ui/not-found-page.tsx';
import { HomePage } from './home-page.tsx';
import { JoinPage } from './join-page.tsx';
import { MySubscriptionsPage } from './my-subscriptions.tsx';
import { ProfilePage } from './profile-page.tsx';
import { ConsentsPage } from './consents-page.tsx';
import { DataRequestsPage } from './data-requests-page.tsx';
import { OnboardingPage } from './onboarding-page.tsx';
import { PortalLayout } from './portal-layout.tsx';

const rootRoute = createRootRoute({ component: PortalLayout, notFoundComponent: NotFoundPage });
const homeRoute = createRoute({ getParentRoute: () => rootRoute, path: '/', component: HomePage });

const accountRoute = createRoute({ getParentRoute: () => rootRoute, path: '/account', component: AccountPage });

// Where a clinic's share-link (its poster's QR code) leads (server/invitations/share-links.ts).
const joinRoute = createRoute({ getParentRoute: () => rootRoute, path: '/join', component: JoinPage });
const subscriptionsRoute = createRoute({ getParentRoute: () => rootRoute, path: '/subscriptions', component: MySubscriptionsPage });
const profileRoute = createRoute({ getParentRoute: () => rootRoute, path: '/profile', component: ProfilePage });
// The consent block after joining a clinic, and the consents page (server/consents/, ADR 0020).
const consentRoutes = [
  createRoute({ getParentRoute: () => rootRoute, path: '/onboarding/$organizationId', component: OnboardingPage }),
  createRoute({ getParentRoute: () => rootRoute, path: '/consents', component: ConsentsPage }),
];
const dataRequestsRoute = createRoute({ getParentRoute: () => rootRoute, path: '/data-requests', component: DataRequestsPage });
// The link of a patient invitation email (server/invitations/invitation-mail.ts).
const acceptInvitationRoute = createRoute({ getParentRoute: () => rootRoute, path: '/invitations/accept', component: AcceptPatientInvitation });

function AcceptPatientInvitation() {
  return <AcceptInvitationPage kind="patient" />;
}

export const router = createRouter({
  routeTree: rootRoute.addChildren([accountRoute, homeRoute, joinRoute, acceptInvitationRoute, subscriptionsRoute, profileRoute, ...consentRoutes, dataRequestsRoute]),
  basepath: import.meta.env.BASE_URL,
});
