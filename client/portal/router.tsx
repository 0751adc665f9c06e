import { createRootRoute, createRoute, createRouter } from '@tanstack/react-router';
import { AccountPage } from '../ui/account/account-page.tsx';
import { NotFoundPage } from '../ui/not-found-page.tsx';
import { SignedInLayout } from '../ui/signed-in-layout.tsx';
import { HomePage } from './home-page.tsx';

const rootRoute = createRootRoute({ component: SignedInLayout, notFoundComponent: NotFoundPage });
const homeRoute = createRoute({ getParentRoute: () => rootRoute, path: '/', component: HomePage });

const accountRoute = createRoute({ getParentRoute: () => rootRoute, path: '/account', component: AccountPage });

export const router = createRouter({
  routeTree: rootRoute.addChildren([accountRoute, homeRoute]),
  basepath: import.meta.env.BASE_URL,
});
