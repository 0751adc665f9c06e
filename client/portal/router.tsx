import { createRootRoute, createRoute, createRouter } from '@tanstack/react-router';
import { AcceptInvitationPage } from '../ui/accept-invitation-page.tsx';
import { AccountPage } from '../ui/account/account-page.tsx';
import { NotFoundPage } from '../ui/not-found-page.tsx';
import { SignedInLayout } from '../ui/signed-in-layout.tsx';
import { HomePage } from './home-page.tsx';
import { JoinPage } from './join-page.tsx';

const rootRoute = createRootRoute({ component: SignedInLayout, notFoundComponent: NotFoundPage });
const homeRoute = createRoute({ getParentRoute: () => rootRoute, path: '/', component: HomePage });

const accountRoute = createRoute({ getParentRoute: () => rootRoute, path: '/account', component: AccountPage });

// Where a clinic's share-link (its poster's QR code) leads (server/invitations/share-links.ts).
const joinRoute = createRoute({ getParentRoute: () => rootRoute, path: '/join', component: JoinPage });
// The link of a patient invitation email (server/invitations/invitation-mail.ts).
const acceptInvitationRoute = createRoute({ getParentRoute: () => rootRoute, path: '/invitations/accept', component: AcceptPatientInvitation });

function AcceptPatientInvitation() {
  return <AcceptInvitationPage kind="patient" />;
}

export const router = createRouter({
  routeTree: rootRoute.addChildren([accountRoute, homeRoute, joinRoute, acceptInvitationRoute]),
  basepath: import.meta.env.BASE_URL,
});
