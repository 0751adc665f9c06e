import { createRootRoute, createRoute, createRouter, useParams } from '@tanstack/react-router';
import { AccountPage } from '../ui/account/account-page.tsx';
import { NotFoundPage } from '../ui/not-found-page.tsx';
import { SignedInLayout } from '../ui/signed-in-layout.tsx';
import { EditLocationPage } from './edit-location-page.tsx';
import { LocationsPage } from './locations-page.tsx';
import { NewLocationPage } from './new-location-page.tsx';

const rootRoute = createRootRoute({ component: SignedInLayout, notFoundComponent: NotFoundPage });

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

export const router = createRouter({
  routeTree: rootRoute.addChildren([accountRoute, locationsRoute, newLocationRoute, editLocationRoute]),
  basepath: import.meta.env.BASE_URL,
});
