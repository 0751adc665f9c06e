import { createRootRoute, createRoute, createRouter } from '@tanstack/react-router';
import { AccountPage } from '../ui/account/account-page.tsx';
import { NotFoundPage } from '../ui/not-found-page.tsx';
import { ConsoleLayout } from './console-layout.tsx';
import { OperatorsPage } from './operators-page.tsx';
import { DocumentsPage } from './documents-page.tsx';
import { OrganizationsPage } from './organizations-page.tsx';

const rootRoute = createRootRoute({ component: ConsoleLayout, notFoundComponent: NotFoundPage });
const organizationsRoute = createRoute({ getParentRoute: () => rootRoute, path: '/', component: OrganizationsPage });

const operatorsRoute = createRoute({ getParentRoute: () => rootRoute, path: '/operators', component: OperatorsPage });

const accountRoute = createRoute({ getParentRoute: () => rootRoute, path: '/account', component: AccountPage });
const documentsRoute = createRoute({ getParentRoute: () => rootRoute, path: '/documents', component: DocumentsPage });

export const router = createRouter({
  routeTree: rootRoute.addChildren([accountRoute, organizationsRoute, operatorsRoute, documentsRoute]),
  basepath: import.meta.env.BASE_URL,
});
