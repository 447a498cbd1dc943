import { type Role } from './account';

/**
 * How a session was completed: with the password alone, with the second factor too, or — the
 * account requiring 2FA and the member having none — a restricted session that may only enrol.
 */
export const SESSION_KINDS = ['restricted', 'password', 'second_factor'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export interface AccessPolicy {
  /** Who may: any member, or a member holding one of these roles. */
  roles: readonly Role[] | 'any';
  /** From which kinds of session. */
  sessions: readonly SessionKind[];
}

const FULL_SESSION: readonly SessionKind[] = ['password', 'second_factor'];

/**
 * The authorization matrix, in one place: every protected route of the REST API names one of
 * these policies (see HTTP_ROUTES); the gateway enforces them and the tests enumerate each
 * policy × role × session kind, and each route × role × session kind over HTTP.
 */
export const ACCESS_POLICIES = {
  /** Who am I, my 2FA status, enrolling, signing out: open to restricted sessions too. */
  signedIn: { roles: 'any', sessions: SESSION_KINDS },
  /** The member's own settings. */
  self: { roles: 'any', sessions: FULL_SESSION },
  /** Weakening or re-issuing the second factor: only from a session that used it. */
  selfWithSecondFactor: { roles: 'any', sessions: ['second_factor'] },
  /** Adding, changing and removing members, their passwords and their 2FA. */
  manageMembers: { roles: ['owner', 'admin'], sessions: FULL_SESSION },
  /** The account's audit log. */
  readAudit: { roles: ['owner', 'admin'], sessions: FULL_SESSION },
  /** Handing ownership on to another member. */
  transferOwnership: { roles: ['owner'], sessions: FULL_SESSION },
  /** The account policy (requireTwoFactor). */
  managePolicy: { roles: ['owner', 'admin'], sessions: FULL_SESSION },
} as const satisfies Record<string, AccessPolicy>;

export type AccessPolicyName = keyof typeof ACCESS_POLICIES;

/**
 * Who may call a route: a policy of the matrix; `public` (no session: sign-up and the steps of
 * signing in); or `keystone` (the Keystone-compatible API authenticates with its own rules:
 * credentials in the body, X-Auth-Token to look at or revoke a token).
 */
export type RouteAccess = AccessPolicyName | 'public' | 'keystone';

export interface HttpRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path with `:name` parameters, as the gateway maps it. */
  path: string;
  access: RouteAccess;
}

/** Every route the gateway maps (a gateway test keeps this list and its controllers equal). */
export const HTTP_ROUTES: readonly HttpRoute[] = [
  { method: 'POST', path: '/api/v1/accounts', access: 'public' },
  { method: 'POST', path: '/api/v1/auth/login', access: 'public' },
  { method: 'POST', path: '/api/v1/auth/mfa', access: 'public' },
  { method: 'POST', path: '/api/v1/auth/logout', access: 'signedIn' },
  { method: 'GET', path: '/api/v1/me', access: 'signedIn' },
  { method: 'PUT', path: '/api/v1/me/password', access: 'self' },
  { method: 'GET', path: '/api/v1/me/two-factor', access: 'signedIn' },
  { method: 'POST', path: '/api/v1/me/two-factor/enrollment', access: 'signedIn' },
  { method: 'POST', path: '/api/v1/me/two-factor/enrollment/confirm', access: 'signedIn' },
  { method: 'POST', path: '/api/v1/me/two-factor/test', access: 'self' },
  { method: 'POST', path: '/api/v1/me/two-factor/recovery-codes', access: 'selfWithSecondFactor' },
  { method: 'DELETE', path: '/api/v1/me/two-factor', access: 'selfWithSecondFactor' },
  { method: 'GET', path: '/api/v1/account/members', access: 'manageMembers' },
  { method: 'POST', path: '/api/v1/account/members', access: 'manageMembers' },
  { method: 'PATCH', path: '/api/v1/account/members/:id', access: 'manageMembers' },
  { method: 'DELETE', path: '/api/v1/account/members/:id', access: 'manageMembers' },
  { method: 'PUT', path: '/api/v1/account/members/:id/password', access: 'manageMembers' },
  { method: 'DELETE', path: '/api/v1/account/members/:id/two-factor', access: 'manageMembers' },
  { method: 'GET', path: '/api/v1/account/audit-events', access: 'readAudit' },
  { method: 'GET', path: '/api/v1/account/policy', access: 'managePolicy' },
  { method: 'PUT', path: '/api/v1/account/policy', access: 'managePolicy' },
  { method: 'POST', path: '/api/v1/account/ownership', access: 'transferOwnership' },
  { method: 'GET', path: '/identity', access: 'keystone' },
  { method: 'GET', path: '/identity/v3', access: 'keystone' },
  { method: 'GET', path: '/identity/v2.0', access: 'keystone' },
  { method: 'POST', path: '/identity/v3/auth/tokens', access: 'keystone' },
  { method: 'GET', path: '/identity/v3/auth/tokens', access: 'keystone' },
  { method: 'DELETE', path: '/identity/v3/auth/tokens', access: 'keystone' },
  { method: 'GET', path: '/identity/v3/auth/projects', access: 'keystone' },
  { method: 'POST', path: '/identity/v2.0/tokens', access: 'keystone' },
];
