/** The page's screens, addressed by the URL fragment (no token or secret ever goes in it). */
export type Route = 'sign-in' | 'sign-up' | 'settings' | 'team' | 'audit';

const ROUTES: readonly Route[] = ['sign-in', 'sign-up', 'settings', 'team', 'audit'];

export function parseRoute(hash: string): Route | undefined {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : undefined;
}

export const hrefOf = (route: Route): string => `#/${route}`;

/** Where a visitor may be: signed out, only the sign-in pages; restricted, only settings (enrolment). */
export function allowedRoute(
  wanted: Route | undefined,
  state: { signedIn: boolean; restricted: boolean; manager: boolean },
): Route {
  if (!state.signedIn) return wanted === 'sign-up' ? 'sign-up' : 'sign-in';
  if (state.restricted) return 'settings';
  if ((wanted === 'team' || wanted === 'audit') && !state.manager) return 'settings';
  if (wanted === undefined || wanted === 'sign-in' || wanted === 'sign-up') return 'settings';
  return wanted;
}
