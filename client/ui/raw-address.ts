import { useRouter, useRouterState, type RouterHistory } from '@tanstack/react-router';

/**
 * A parameter of the address as it was opened (an invitation token, a share-link code), read from
 * the raw query string: the router's own search parsing reads values as JSON, which would turn a
 * code such as `23456789` into a number.
 */
export function useLinkParam(name: string): string | null {
  // Subscribed to the location so that a navigation to another link is read again.
  useRouterState({ select: (state) => state.location.href });
  return new URLSearchParams(window.location.search).get(name);
}

/**
 * The router's history, for going to an address as it is (with its raw query string): `navigate`
 * would re-encode the parameters through the router's JSON search parsing.
 */
export function useRouterHistory(): RouterHistory {
  const router: { history: RouterHistory } = useRouter();
  return router.history;
}
