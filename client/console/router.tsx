import { createRootRoute, createRoute, createRouter } from '@tanstack/react-router';
import { NotFoundPage } from '../ui/not-found-page.tsx';
import { SignedInLayout } from '../ui/signed-in-layout.tsx';
import { OrganizationsPage } from './organizations-page.tsx';

const rootRoute = createRootRoute({ component: SignedInLayout, notFoundComponent: NotFoundPage });
const organizationsRoute = createRoute({ getParentRoute: () => rootRoute, path: '/', component: OrganizationsPage });

export const router = createRouter({
  routeTree: rootRoute.addChildren([organizationsRoute]),
  basepath: import.meta.env.BASE_URL,
});
