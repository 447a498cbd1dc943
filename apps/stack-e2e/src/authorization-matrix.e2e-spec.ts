import { randomUUID } from 'node:crypto';
import {
  ACCESS_POLICIES,
  type AccessPolicy,
  type AccessPolicyName,
  type CustomerRole,
  HTTP_ROUTES,
  isPolicy,
  type HttpRoute,
  MEMBER_TARGETS,
  type MemberTarget,
  type Role,
  type SessionKind,
} from '@twofold/contracts';
import { AuthenticatorApp } from '@twofold/testing';
import { OpenApiContract } from './openapi-contract';
import { addMember, type ApiResponse, operatorCli, type RunningStack, startStack } from './support';

jest.setTimeout(180_000);

const PASSWORD = 'correct horse battery staple';

type ProtectedRoute = HttpRoute & { access: AccessPolicyName };
const PROTECTED = HTTP_ROUTES.filter((route): route is ProtectedRoute => isPolicy(route.access));

/**
 * For each protected route, a request that changes nothing once it is past authorization
 * (an incomplete body or an unknown member is refused by the handler), and the status that
 * proves it got there. Guards run before body validation, so a 400 means "allowed".
 * The two that do change something (disable 2FA, sign out) run last, in that order.
 */
const NOBODY = randomUUID();
const PROBES: Record<string, { path?: string; json?: unknown; reached: number; last?: number }> = {
  'GET /api/v1/me': { reached: 200 },
  'PUT /api/v1/me/password': { json: {}, reached: 400 },
  'GET /api/v1/me/two-factor': { reached: 200 },
  'POST /api/v1/me/two-factor/enrollment': { json: {}, reached: 400 },
  'POST /api/v1/me/two-factor/enrollment/confirm': { json: {}, reached: 400 },
  'POST /api/v1/me/two-factor/test': { json: {}, reached: 400 },
  'POST /api/v1/me/two-factor/resync': { json: {}, reached: 400 },
  'POST /api/v1/me/two-factor/recovery-codes/check': { json: {}, reached: 400 },
  'POST /api/v1/me/two-factor/recovery-codes': { reached: 201 },
  'GET /api/v1/me/application-credentials': { reached: 200 },
  'POST /api/v1/me/application-credentials': { json: {}, reached: 400 },
  'DELETE /api/v1/me/application-credentials/:id': {
    path: `/api/v1/me/application-credentials/${NOBODY}`,
    reached: 404,
  },
  'POST /api/v1/me/application-credentials/:id/confirm': {
    path: `/api/v1/me/application-credentials/${NOBODY}/confirm`,
    reached: 404,
  },
  'GET /api/v1/account/members/:id/application-credentials': {
    path: `/api/v1/account/members/${NOBODY}/application-credentials`,
    reached: 404,
  },
  'DELETE /api/v1/account/members/:id/application-credentials/:credentialId': {
    path: `/api/v1/account/members/${NOBODY}/application-credentials/${NOBODY}`,
    reached: 404,
  },
  // An empty body is refused by the route's own schema: nothing is checked or counted.
  'POST /api/v1/auth/step-up': { json: {}, reached: 400 },
  // No principal has a passkey: nothing to step up with.
  'POST /api/v1/auth/step-up/options': { json: {}, reached: 409 },
  // A challenge that lapses unanswered.
  'POST /api/v1/me/passkeys/registration-options': { json: {}, reached: 200 },
  'POST /api/v1/me/passkeys': { json: {}, reached: 400 },
  'GET /api/v1/me/passkeys': { reached: 200 },
  'PATCH /api/v1/me/passkeys/:id': {
    path: `/api/v1/me/passkeys/${NOBODY}`,
    json: { name: 'x' },
    reached: 404,
  },
  'DELETE /api/v1/me/passkeys/:id': { path: `/api/v1/me/passkeys/${NOBODY}`, reached: 404 },
  'GET /api/v1/me/sessions': { reached: 200 },
  'DELETE /api/v1/me/sessions/:sessionId': { path: `/api/v1/me/sessions/${NOBODY}`, reached: 404 },
  // Ends the principal's other sessions only (each principal is a member of its own).
  'DELETE /api/v1/me/sessions': { reached: 204 },
  'GET /api/v1/account/members/:id/sessions': {
    path: `/api/v1/account/members/${NOBODY}/sessions`,
    reached: 404,
  },
  'DELETE /api/v1/account/members/:id/sessions': {
    path: `/api/v1/account/members/${NOBODY}/sessions`,
    reached: 404,
  },
  'GET /api/v1/account/members': { reached: 200 },
  'POST /api/v1/account/members': { json: {}, reached: 400 },
  'PATCH /api/v1/account/members/:id': { path: `/api/v1/account/members/${NOBODY}`, json: {}, reached: 404 },
  'DELETE /api/v1/account/members/:id': { path: `/api/v1/account/members/${NOBODY}`, reached: 404 },
  'PUT /api/v1/account/members/:id/password': {
    path: `/api/v1/account/members/${NOBODY}/password`,
    json: {},
    reached: 404,
  },
  'DELETE /api/v1/account/members/:id/two-factor': {
    path: `/api/v1/account/members/${NOBODY}/two-factor`,
    reached: 404,
  },
  'POST /api/v1/account/members/:id/two-factor/resync-link': {
    path: `/api/v1/account/members/${NOBODY}/two-factor/resync-link`,
    reached: 404,
  },
  'POST /api/v1/account/members/:id/invitation': {
    path: `/api/v1/account/members/${NOBODY}/invitation`,
    reached: 404,
  },
  'DELETE /api/v1/account/members/:id/invitation': {
    path: `/api/v1/account/members/${NOBODY}/invitation`,
    reached: 404,
  },
  'POST /api/v1/account/members/:id/password-reset-link': {
    path: `/api/v1/account/members/${NOBODY}/password-reset-link`,
    reached: 404,
  },
  'PUT /api/v1/me/email': { json: {}, reached: 400 },
  'PUT /api/v1/me/language': { json: {}, reached: 400 },
  'GET /api/v1/account/audit-events': { reached: 200 },
  'GET /api/v1/account/policy': { reached: 200 },
  'GET /api/v1/account/two-factor-compliance': { reached: 200 },
  'PUT /api/v1/account/policy': { json: {}, reached: 400 },
  'POST /api/v1/account/ownership': { json: {}, reached: 400 },
  'DELETE /api/v1/me/two-factor': { reached: 204, last: 1 },
  'POST /api/v1/auth/logout': { reached: 204, last: 2 },
};

const keyOf = (route: HttpRoute) => `${route.method} ${route.path}`;
const ordered = [...PROTECTED].sort((a, b) => (PROBES[keyOf(a)]?.last ?? 0) - (PROBES[keyOf(b)]?.last ?? 0));

/**
 * What the matrix says a member with this role gets from this kind of session — on a route on one
 * member, aimed at itself, at its account's owner, or at another member.
 */
function expectedOutcome(
  policyName: AccessPolicyName,
  role: Role,
  kind: SessionKind,
  target?: MemberTarget,
): string {
  const policy: AccessPolicy = ACCESS_POLICIES[policyName];
  const { roles, sessions } = policy;
  if (role === 'service') return 'forbidden';
  if (roles !== 'any' && !roles.includes(role)) return 'forbidden';
  if (!sessions.includes(kind)) {
    return kind === 'restricted' ? 'two_factor_required' : 'second_factor_session_required';
  }
  if (policy.target && target === 'self') return 'use_me_route';
  if (policy.target && target === 'owner' && !policy.target.owner.includes(role)) return 'forbidden';
  return 'allowed';
}

interface Principal {
  role: Role;
  kind: SessionKind;
  token: string;
  /** The principal's own member id, and its account owner's. */
  id: string;
  ownerId: string;
}

/** The targets a principal can aim a route on one member at (the owner aiming at the owner is `self`). */
const targetsOf = (principal: Principal): MemberTarget[] =>
  MEMBER_TARGETS.filter((t) => !(t === 'owner' && principal.role === 'owner'));
const targetId = (principal: Principal, target: MemberTarget): string =>
  target === 'self' ? principal.id : target === 'owner' ? principal.ownerId : NOBODY;

describe('the authorization matrix over HTTP: every protected route × role × session kind', () => {
  let running: RunningStack;
  let api: RunningStack['api'];
  let contract: OpenApiContract;
  const principals: Principal[] = [];
  /** Every answer of this file, checked against the OpenAPI document the gateway serves. */
  const contractViolations: string[] = [];
  const checked = (method: string, path: string, res: ApiResponse) => {
    contractViolations.push(...contract.violations(method, path, res));
    return res;
  };

  const post = async (path: string, json: unknown, token?: string): Promise<ApiResponse> =>
    checked('POST', path, await api(path, { method: 'POST', json, ...(token ? { token } : {}) }));

  /** An account with one member per role: their logins by role, and the owner's first session. */
  async function account(
    label: string,
  ): Promise<{ logins: Record<CustomerRole, string>; ownerToken: string }> {
    const base = `${label}-${Date.now()}`;
    expect(
      (
        await post('/api/v1/accounts', {
          accountName: `Matrix ${base}`,
          login: base,
          email: `${base}@example.com`,
          password: PASSWORD,
        })
      ).status,
    ).toBe(201);
    const owner = (await post('/api/v1/auth/login', { login: base, password: PASSWORD })).body
      .token as string;
    const logins: Record<CustomerRole, string> = { owner: base, admin: '', billing: '', ops: '' };
    for (const role of ['admin', 'billing', 'ops'] as const) {
      const added = await addMember(running, owner, {
        login: `${base}-${role}`,
        email: `${base}-${role}@example.com`,
        password: PASSWORD,
        roles: [role],
      });
      expect(added.status).toBe(201);
      logins[role] = `${base}-${role}`;
    }
    return { logins, ownerToken: owner };
  }

  const passwordSession = async (login: string) => {
    const res = await post('/api/v1/auth/login', { login, password: PASSWORD });
    expect(res.body.token).toEqual(expect.any(String));
    return res.body.token as string;
  };

  /** Enrols 2FA from a password session, then signs in again with password + code. */
  const secondFactorSession = async (login: string) => {
    const first = await passwordSession(login);
    const enrollment = await post('/api/v1/me/two-factor/enrollment', { password: PASSWORD }, first);
    const app = new AuthenticatorApp(enrollment.body.secret as string);
    expect(
      (await post('/api/v1/me/two-factor/enrollment/confirm', { code: await app.nextCode() }, first)).status,
    ).toBe(200);
    const step1 = await post('/api/v1/auth/login', { login, password: PASSWORD });
    const step2 = await post('/api/v1/auth/mfa', {
      mfaToken: step1.body.mfaToken,
      code: await app.nextCode(),
    });
    expect(step2.status).toBe(200);
    return step2.body.token as string;
  };

  const whoIs = async (token: string): Promise<{ kind: SessionKind; id: string }> => {
    const { session, user } = checked('GET', '/api/v1/me', await api('/api/v1/me', { token })).body as {
      session: { aal: 1 | 2; restricted: boolean };
      user: { id: string };
    };
    return {
      id: user.id,
      kind: session.restricted ? 'restricted' : session.aal === 2 ? 'second_factor' : 'password',
    };
  };

  /** Signs in one member per role of an account, then learns their ids (the owner's first). */
  const principalsOf = async (
    logins: Record<CustomerRole, string>,
    signIn: (login: string) => Promise<string>,
    kindOfRole: (role: Role) => SessionKind,
  ): Promise<void> => {
    const signedIn: { role: Role; token: string }[] = [];
    for (const role of ['owner', 'admin', 'billing', 'ops'] as const) {
      signedIn.push({ role, token: await signIn(logins[role]) });
    }
    const ids = await Promise.all(signedIn.map(async (p) => (await whoIs(p.token)).id));
    signedIn.forEach((p, i) =>
      principals.push({ ...p, kind: kindOfRole(p.role), id: ids[i], ownerId: ids[0] }),
    );
  };

  beforeAll(async () => {
    running = await startStack('e2e_matrix');
    api = running.api;
    const docs = await api('/api/docs');
    expect(docs.body.openapi).toBe('3.1.0');
    contract = new OpenApiContract(docs.body);
    // Password sessions: members without 2FA in an account that does not require it.
    const { logins: plain } = await account('matrix-password');
    await principalsOf(plain, passwordSession, () => 'password');

    // Second-factor sessions: every member has enrolled and signed in with a code.
    const { logins: strong } = await account('matrix-2fa');
    await principalsOf(strong, secondFactorSession, () => 'second_factor');

    // Restricted sessions: the account requires 2FA and these members have none. An ops-only
    // member is exempt by design (it is how automation signs in), so (ops, restricted) is no
    // cell anyone can reach; the ops member here gets a full password session instead.
    const { logins: strict, ownerToken } = await account('matrix-restricted');
    expect(
      (
        await api('/api/v1/account/policy', {
          method: 'PUT',
          token: ownerToken,
          json: { requireTwoFactor: true },
        })
      ).status,
    ).toBe(200);
    await principalsOf(strict, passwordSession, (role) => (role === 'ops' ? 'password' : 'restricted'));

    // A platform service user (made by the operator CLI), signed in through Keystone.
    expect(
      (await operatorCli(running, ['service-user', 'create', '--login', 'matrix-svc'], PASSWORD)).code,
    ).toBe(0);
    const svc = await api('/identity/v3/auth/tokens', {
      method: 'POST',
      json: {
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: 'matrix-svc', domain: { name: 'Default' }, password: PASSWORD } },
          },
        },
      },
    });
    const svcId = (svc.body.token.user.id as string).replace(
      /^(.{8})(.{4})(.{4})(.{4})(.{12})$/,
      '$1-$2-$3-$4-$5',
    );
    principals.push({
      role: 'service',
      kind: 'password',
      token: svc.headers.get('x-subject-token')!,
      id: svcId,
      ownerId: svcId,
    });

    for (const principal of principals.filter((p) => p.role !== 'service')) {
      expect(`${principal.role}: ${(await whoIs(principal.token)).kind}`).toBe(
        `${principal.role}: ${principal.kind}`,
      );
    }
  });

  afterAll(async () => {
    await running?.close();
  });

  it('has a harmless probe for every protected route of the contract', () => {
    expect(Object.keys(PROBES).sort()).toEqual(PROTECTED.map(keyOf).sort());
  });

  it('covers every role × session kind a member can have', () => {
    const cells = new Set(principals.map((p) => `${p.role} × ${p.kind}`));
    for (const role of ['owner', 'admin', 'billing', 'ops'] as const) {
      for (const kind of ['password', 'second_factor'] as const) expect(cells).toContain(`${role} × ${kind}`);
      if (role !== 'ops') expect(cells).toContain(`${role} × restricted`);
    }
  });

  it('refuses every protected route without a session, or with an unknown token', async () => {
    for (const route of PROTECTED) {
      const probe = PROBES[keyOf(route)];
      for (const token of [undefined, 'x'.repeat(43)]) {
        const res = await api(probe.path ?? route.path, {
          method: route.method,
          ...(probe.json !== undefined ? { json: probe.json } : {}),
          ...(token ? { token } : {}),
        });
        checked(route.method, route.path, res);
        expect(`${keyOf(route)} → ${res.status} ${res.body?.error?.code}`).toBe(
          `${keyOf(route)} → 401 unauthenticated`,
        );
      }
    }
  });

  it('allows and refuses exactly the cells the matrix names', async () => {
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const principal of principals) {
      for (const route of ordered) {
        const probe = PROBES[keyOf(route)];
        const onOneMember = (ACCESS_POLICIES[route.access] as AccessPolicy).target !== undefined;
        for (const target of onOneMember ? targetsOf(principal) : [undefined]) {
          const path = target
            ? route.path.replace(':id', targetId(principal, target)).replace(':credentialId', NOBODY)
            : (probe.path ?? route.path);
          const res = await api(path, {
            method: route.method,
            token: principal.token,
            ...(probe.json !== undefined ? { json: probe.json } : {}),
          });
          checked(route.method, route.path, res);
          const cell = `${keyOf(route)}${target ? ` on ${target}` : ''} × ${principal.role} × ${principal.kind}`;
          const want = expectedOutcome(route.access, principal.role, principal.kind, target);
          expected.push(`${cell} → ${want === 'allowed' ? `allowed ${probe.reached}` : `403 ${want}`}`);
          outcomes.push(
            `${cell} → ${res.status === 403 ? `403 ${res.body?.error?.code}` : `allowed ${res.status}`}`,
          );
        }
      }
    }

    expect(outcomes).toEqual(expected);
    expect(outcomes.filter((o) => o.includes('→ allowed')).length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o.includes('→ 403')).length).toBeGreaterThan(0);
    expect(
      outcomes.filter((o) => o.includes(' on self ') && o.includes('→ 403 use_me_route')).length,
    ).toBeGreaterThan(0);
    expect(
      outcomes.filter(
        (o) => o.includes(' on owner ') && o.includes('× admin') && o.includes('→ 403 forbidden'),
      ).length,
    ).toBeGreaterThan(0);
  });

  it('answered every call as the OpenAPI document at /api/docs says (status and body)', () => {
    expect(contractViolations).toEqual([]);
  });
});
