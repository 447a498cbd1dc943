/** Addressed by the URL fragment: no session token or secret ever goes in it. */
export type Route =
  | 'sign-in'
  | 'sign-up'
  | 'settings'
  | 'team'
  | 'audit'
  | 'password-reset'
  | 'not-me'
  | 'resync'
  | 'verify-email'
  | 'invitation';

const ROUTES: readonly Route[] = [
  'sign-in',
  'sign-up',
  'settings',
  'team',
  'audit',
  'password-reset',
  'not-me',
  'resync',
  'verify-email',
  'invitation',
];

const LINK_ROUTES: readonly Route[] = ['password-reset', 'not-me', 'resync', 'verify-email', 'invitation'];

export function parseRoute(hash: string): Route | undefined {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : undefined;
}

export function linkTokenOf(hash: string): string | undefined {
  const query = hash.split('?')[1];
  const token = query ? new URLSearchParams(query).get('token') : null;
  return token && /^[A-Za-z0-9_-]{16,128}$/.test(token) ? token : undefined;
}

export const hrefOf = (route: Route): string => `#/${route}`;

/**
 * Where a visitor may be: signed out, only the sign-in pages; restricted, only settings
 * (enrolment); an e-mailed link's screen always.
 */
export function allowedRoute(
  wanted: Route | undefined,
  state: { signedIn: boolean; restricted: boolean; manager: boolean },
): Route {
  if (wanted !== undefined && LINK_ROUTES.includes(wanted)) return wanted;
  if (!state.signedIn) return wanted === 'sign-up' ? 'sign-up' : 'sign-in';
  if (state.restricted) return 'settings';
  if ((wanted === 'team' || wanted === 'audit') && !state.manager) return 'settings';
  if (wanted === undefined || wanted === 'sign-in' || wanted === 'sign-up') return 'settings';
  return wanted;
}
