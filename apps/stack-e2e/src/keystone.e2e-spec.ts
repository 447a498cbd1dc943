import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthenticatorApp } from '@twofold/testing';
import { type ApiResponse, type RunningStack, startStack } from './support';

jest.setTimeout(120_000);

const PASSWORD = 'correct horse battery staple';
const GENERIC_401 = {
  error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' },
};

describe('the Keystone-compatible Identity API, on the wire', () => {
  let running: RunningStack;
  let api: RunningStack['api'];
  let n = 0;

  /** The platform's other services, as an operator configures them. */
  const CATALOG_FILE = join(mkdtempSync(join(tmpdir(), 'twofold-catalog-')), 'catalog.yaml');
  writeFileSync(
    CATALOG_FILE,
    [
      '- type: object-store',
      '  name: swift',
      '  endpoints:',
      '    - { interface: public, url: "http://127.0.0.1:8090/v1/AUTH_%(project_id)s" }',
      '- type: compute',
      '  name: nova',
      '  endpoints:',
      '    - { interface: public, region: RegionTwo, url: "http://127.0.0.1:8774/v2.1" }',
      '',
    ].join('\n'),
  );

  beforeAll(async () => {
    running = await startStack('e2e_keystone', { env: { KEYSTONE_CATALOG_FILE: CATALOG_FILE } });
    api = running.api;
  });

  afterAll(async () => {
    await running?.close();
  });

  const post = (path: string, json: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> =>
    api(path, { method: 'POST', json, headers });

  /** A member (and its account, the Keystone project), optionally with 2FA on. */
  const member = async (withTwoFactor: boolean) => {
    n += 1;
    const login = `ks-${n}-${Date.now()}`;
    const project = `Project ${login}`;
    const created = await post('/api/v1/accounts', {
      accountName: project,
      login,
      email: `${login}@example.com`,
      password: PASSWORD,
    });
    const session: string = (await post('/api/v1/auth/login', { login, password: PASSWORD })).body.token;
    let app: AuthenticatorApp | undefined;
    let recoveryCodes: string[] = [];
    if (withTwoFactor) {
      const enrollment = await api('/api/v1/me/two-factor/enrollment', {
        method: 'POST',
        json: { password: PASSWORD },
        token: session,
      });
      app = new AuthenticatorApp(enrollment.body.secret);
      recoveryCodes = enrollment.body.recoveryCodes;
      await api('/api/v1/me/two-factor/enrollment/confirm', {
        method: 'POST',
        json: { code: await app.nextCode() },
        token: session,
      });
    }
    return {
      login,
      project,
      userId: (created.body.user.id as string).replace(/-/g, ''),
      projectId: (created.body.account.id as string).replace(/-/g, ''),
      app,
      recoveryCodes,
    };
  };

  const passwordMethod = (login: string, password = PASSWORD) => ({
    user: { name: login, domain: { name: 'Default' }, password },
  });
  const totpMethod = (login: string, passcode: string) => ({
    user: { name: login, domain: { name: 'Default' }, passcode },
  });
  const projectScope = (project: string) => ({ project: { name: project, domain: { name: 'Default' } } });
  const tokens = (identity: unknown, scope?: unknown, headers: Record<string, string> = {}) =>
    post('/identity/v3/auth/tokens', { auth: { identity, ...(scope ? { scope } : {}) } }, headers);

  describe('version discovery', () => {
    it('lists v3 and the deprecated v2.0 with 300 Multiple Choices', async () => {
      const res = await api('/identity');

      expect(res.status).toBe(300);
      expect(res.headers.get('location')).toBe(`${running.stack.gatewayUrl}/identity/v3/`);
      expect(res.body.versions.values.map((v: { id: string; status: string }) => [v.id, v.status])).toEqual([
        ['v3.14', 'stable'],
        ['v2.0', 'deprecated'],
      ]);
    });

    it.each(['/identity/v3', '/identity/v3/'])('describes v3 at %s', async (path) => {
      const res = await api(path);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        version: {
          id: 'v3.14',
          status: 'stable',
          updated: '2020-04-07T00:00:00Z',
          links: [{ rel: 'self', href: `${running.stack.gatewayUrl}/identity/v3/` }],
          'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
        },
      });
      expect(res.headers.get('x-openstack-request-id')).toMatch(/^req-[0-9a-f-]{36}$/);
    });
  });

  describe('POST /v3/auth/tokens', () => {
    it('issues a project-scoped token to a member without 2FA, with Keystone’s body and X-Subject-Token', async () => {
      const m = await member(false);

      const res = await tokens(
        { methods: ['password'], password: passwordMethod(m.login) },
        projectScope(m.project),
      );

      expect(res.status).toBe(201);
      expect(res.headers.get('x-subject-token')).toMatch(/^[A-Za-z0-9_-]{65}$/);
      expect(res.body.token).toEqual({
        methods: ['password'],
        user: {
          domain: { id: 'default', name: 'Default' },
          id: m.userId,
          name: m.login,
          password_expires_at: null,
        },
        audit_ids: [expect.stringMatching(/^[A-Za-z0-9_-]{22}$/)],
        expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
        issued_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
        project: { domain: { id: 'default', name: 'Default' }, id: m.projectId, name: m.project },
        is_domain: false,
        roles: [{ id: expect.stringMatching(/^[0-9a-f]{32}$/), name: 'owner' }],
        catalog: [
          expect.objectContaining({ type: 'identity', name: 'keystone' }),
          expect.objectContaining({ type: 'object-store', name: 'swift' }),
          expect.objectContaining({ type: 'compute', name: 'nova' }),
        ],
      });
    });

    it('accepts the user by id and the project by id, and leaves the catalog out with ?nocatalog', async () => {
      const m = await member(false);

      const res = await post('/identity/v3/auth/tokens?nocatalog', {
        auth: {
          identity: { methods: ['password'], password: { user: { id: m.userId, password: PASSWORD } } },
          scope: { project: { id: m.projectId } },
        },
      });

      expect(res.status).toBe(201);
      expect(res.body.token.catalog).toBeUndefined();
      expect(res.body.token.project.id).toBe(m.projectId);
    });

    it('issues an unscoped token (no project, no roles) when asked for one explicitly', async () => {
      const m = await member(false);

      const res = await post('/identity/v3/auth/tokens', {
        auth: { identity: { methods: ['password'], password: passwordMethod(m.login) }, scope: 'unscoped' },
      });

      expect(res.status).toBe(201);
      expect(res.body.token.user.name).toBe(m.login);
      expect(res.body.token.project).toBeUndefined();
      expect(res.body.token.roles).toBeUndefined();
    });

    it('answers a wrong password, an unknown user and another account’s project with the same 401', async () => {
      const m = await member(false);
      const other = await member(false);

      const answers = [
        await tokens({ methods: ['password'], password: passwordMethod(m.login, 'wrong password') }),
        await tokens({ methods: ['password'], password: passwordMethod('nobody-like-this') }),
        await tokens(
          { methods: ['password'], password: passwordMethod(m.login) },
          projectScope(other.project),
        ),
      ];

      for (const res of answers) {
        expect(res.status).toBe(401);
        expect(res.body).toEqual(GENERIC_401);
        expect(res.headers.get('www-authenticate')).toBe(
          `Keystone uri="${running.stack.gatewayUrl}/identity/v3"`,
        );
      }
    });

    it('answers a password-only request for a 2FA member with a receipt, completed by totp', async () => {
      const m = await member(true);

      const first = await tokens(
        { methods: ['password'], password: passwordMethod(m.login) },
        projectScope(m.project),
      );
      expect(first.status).toBe(401);
      const receipt = first.headers.get('openstack-auth-receipt')!;
      expect(receipt).toMatch(/^[A-Za-z0-9_-]{65}$/);
      expect(first.body).toEqual({
        receipt: {
          methods: ['password'],
          user: { id: m.userId, name: m.login, domain: { id: 'default', name: 'Default' } },
          expires_at: expect.any(String),
          issued_at: expect.any(String),
        },
        required_auth_methods: [['password', 'totp']],
      });

      // A wrong passcode leaves the receipt usable; the right one completes it.
      const wrong = await tokens(
        { methods: ['totp'], totp: totpMethod(m.login, m.app!.wrongCode()) },
        projectScope(m.project),
        {
          'openstack-auth-receipt': receipt,
        },
      );
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual(GENERIC_401);
      const done = await tokens(
        { methods: ['totp'], totp: totpMethod(m.login, await m.app!.nextCode()) },
        projectScope(m.project),
        {
          'openstack-auth-receipt': receipt,
        },
      );
      expect(done.status).toBe(201);
      expect(done.body.token.methods).toEqual(['password', 'totp']);

      // Consumed by the token it completed.
      const again = await tokens(
        { methods: ['totp'], totp: totpMethod(m.login, m.app!.wrongCode()) },
        undefined,
        {
          'openstack-auth-receipt': receipt,
        },
      );
      expect(again.status).toBe(401);
      expect(again.body.error.message).toBe('Could not find auth receipt.');
    });

    it('refuses a receipt presented for another user, and a receipt it never issued', async () => {
      const alice = await member(true);
      const bob = await member(true);
      const receipt = (
        await tokens({ methods: ['password'], password: passwordMethod(alice.login) })
      ).headers.get('openstack-auth-receipt')!;

      const mismatch = await tokens(
        { methods: ['totp'], totp: totpMethod(bob.login, await bob.app!.nextCode()) },
        undefined,
        {
          'openstack-auth-receipt': receipt,
        },
      );
      const garbage = await tokens(
        { methods: ['totp'], totp: totpMethod(alice.login, await alice.app!.nextCode()) },
        undefined,
        {
          'openstack-auth-receipt': 'not-a-receipt',
        },
      );

      expect(mismatch.status).toBe(401);
      expect(garbage.status).toBe(401);
      expect(garbage.body.error.message).toBe('Could not find auth receipt.');
    });

    it('issues a token for password and totp in one request, and refuses the same passcode again', async () => {
      const m = await member(true);
      const code = await m.app!.nextCode();
      const identity = {
        methods: ['password', 'totp'],
        password: passwordMethod(m.login),
        totp: totpMethod(m.login, code),
      };

      const first = await tokens(identity, projectScope(m.project));
      const replay = await tokens(identity, projectScope(m.project));

      expect(first.status).toBe(201);
      expect(first.body.token.methods).toEqual(['password', 'totp']);
      expect(replay.status).toBe(401);
      expect(replay.body.error.code).toBe(401);
    });

    it('accepts a recovery code as the totp passcode, once', async () => {
      const m = await member(true);
      const identity = {
        methods: ['password', 'totp'],
        password: passwordMethod(m.login),
        totp: totpMethod(m.login, m.recoveryCodes[0]),
      };

      expect((await tokens(identity)).status).toBe(201);
      expect((await tokens(identity)).status).toBe(401);
    });

    it('answers malformed requests with Keystone’s 400 and unsupported methods with its 401', async () => {
      const invalidJson = await api('/identity/v3/auth/tokens', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"auth": ',
      });
      const noDomain = await tokens({
        methods: ['password'],
        password: { user: { name: 'x', password: 'y' } },
      });
      const noSection = await tokens({ methods: ['totp'] });
      const sms = await tokens({ methods: ['sms'], sms: {} });

      expect(invalidJson.status).toBe(400);
      expect(invalidJson.body.error).toMatchObject({ code: 400, title: 'Bad Request' });
      expect(noDomain.body.error.message).toMatch(/^Expecting to find domain in user\./);
      expect(noSection.body.error.message).toMatch(/^Expecting to find totp in identity\./);
      expect(sms.status).toBe(401);
      expect(sms.body.error).toEqual({
        code: 401,
        identity: { methods: ['password', 'totp', 'application_credential'] },
        message: 'Attempted to authenticate with an unsupported method.',
        title: 'Unauthorized',
      });
    });
  });

  describe('validate, check and revoke', () => {
    it('validates with GET and HEAD, revokes with DELETE, and then answers 404', async () => {
      const m = await member(false);
      const token = (await tokens({ methods: ['password'], password: passwordMethod(m.login) })).headers.get(
        'x-subject-token',
      )!;
      const both = { 'x-auth-token': token, 'x-subject-token': token };

      const get = await api('/identity/v3/auth/tokens?nocatalog', { headers: both });
      expect(get.status).toBe(200);
      expect(get.headers.get('x-subject-token')).toBe(token);
      expect(get.body.token.user.name).toBe(m.login);
      expect(get.body.token.catalog).toBeUndefined();
      expect((await api('/identity/v3/auth/tokens', { method: 'HEAD', headers: both })).status).toBe(200);

      expect((await api('/identity/v3/auth/tokens', { method: 'DELETE', headers: both })).status).toBe(204);

      const other = (await tokens({ methods: ['password'], password: passwordMethod(m.login) })).headers.get(
        'x-subject-token',
      )!;
      const after = await api('/identity/v3/auth/tokens', {
        headers: { 'x-auth-token': other, 'x-subject-token': token },
      });
      expect(after.status).toBe(404);
      expect(after.body).toEqual({
        error: { code: 404, message: 'Failed to validate token', title: 'Not Found' },
      });
      expect(
        (
          await api('/identity/v3/auth/tokens', {
            method: 'HEAD',
            headers: { 'x-auth-token': other, 'x-subject-token': token },
          })
        ).status,
      ).toBe(404);
    });

    it('answers 404 without a subject token and 401 without a valid auth token', async () => {
      const m = await member(false);
      const token = (await tokens({ methods: ['password'], password: passwordMethod(m.login) })).headers.get(
        'x-subject-token',
      )!;

      const noSubject = await api('/identity/v3/auth/tokens', { headers: { 'x-auth-token': token } });
      const noAuth = await api('/identity/v3/auth/tokens', { headers: { 'x-subject-token': token } });

      expect(noSubject.status).toBe(404);
      expect(noSubject.body.error.message).toBe('No token in the request');
      expect(noAuth.status).toBe(401);
      expect(noAuth.body).toEqual(GENERIC_401);
    });

    it('does not let one account’s member validate another account’s token', async () => {
      const alice = await member(false);
      const bob = await member(false);
      const aliceToken = (
        await tokens({ methods: ['password'], password: passwordMethod(alice.login) })
      ).headers.get('x-subject-token')!;
      const bobToken = (
        await tokens({ methods: ['password'], password: passwordMethod(bob.login) })
      ).headers.get('x-subject-token')!;

      const res = await api('/identity/v3/auth/tokens', {
        headers: { 'x-auth-token': bobToken, 'x-subject-token': aliceToken },
      });

      expect(res.status).toBe(404);
    });

    it('lists the member’s project', async () => {
      const m = await member(false);
      const token = (await tokens({ methods: ['password'], password: passwordMethod(m.login) })).headers.get(
        'x-subject-token',
      )!;

      const res = await api('/identity/v3/auth/projects', { headers: { 'x-auth-token': token } });

      expect(res.status).toBe(200);
      expect(res.body.projects).toEqual([
        expect.objectContaining({ id: m.projectId, name: m.project, domain_id: 'default', enabled: true }),
      ]);
    });
  });

  describe('an ops member (the automation case)', () => {
    it('is added by the owner and gets tokens with the ops role through v3 and v2.0', async () => {
      const owner = await member(false);
      const ownerToken: string = (
        await post('/api/v1/auth/login', { login: owner.login, password: PASSWORD })
      ).body.token;
      const ops = {
        login: `${owner.login}-ops`,
        email: `${owner.login}-ops@example.com`,
        password: 'a long random automation password 7Qe9',
      };

      const added = await api('/api/v1/account/members', {
        method: 'POST',
        token: ownerToken,
        json: { ...ops, roles: ['ops'] },
      });
      expect(added.status).toBe(201);
      expect(added.body).toEqual({
        id: expect.any(String),
        login: ops.login,
        email: ops.email,
        roles: ['ops'],
        invitation: null,
      });

      const v3 = await tokens(
        { methods: ['password'], password: passwordMethod(ops.login, ops.password) },
        projectScope(owner.project),
      );
      expect(v3.status).toBe(201);
      expect(v3.body.token.roles.map((r: { name: string }) => r.name)).toEqual(['ops']);
      expect(v3.body.token.project.name).toBe(owner.project);

      const v2 = await post('/identity/v2.0/tokens', {
        auth: {
          passwordCredentials: { username: ops.login, password: ops.password },
          tenantName: owner.project,
        },
      });
      expect(v2.status).toBe(200);
      expect(v2.body.access.user.roles).toEqual([{ name: 'ops' }]);
    });

    it('cannot add members itself, and a taken login is refused', async () => {
      const owner = await member(false);
      const ownerToken: string = (
        await post('/api/v1/auth/login', { login: owner.login, password: PASSWORD })
      ).body.token;
      const ops = {
        login: `${owner.login}-bot`,
        email: `${owner.login}-bot@example.com`,
        password: 'another long automation password',
      };
      await api('/api/v1/account/members', {
        method: 'POST',
        token: ownerToken,
        json: { ...ops, roles: ['ops'] },
      });
      const opsToken: string = (
        await post('/api/v1/auth/login', { login: ops.login, password: ops.password })
      ).body.token;

      const byOps = await api('/api/v1/account/members', {
        method: 'POST',
        token: opsToken,
        json: {
          login: `${owner.login}-x`,
          email: 'x@example.com',
          password: 'yet another long password',
          roles: ['admin'],
        },
      });
      const taken = await api('/api/v1/account/members', {
        method: 'POST',
        token: ownerToken,
        json: { ...ops, roles: ['ops'] },
      });

      expect(byOps.status).toBe(403);
      expect(byOps.body.error.code).toBe('forbidden');
      expect(taken.status).toBe(409);
      expect(taken.body.error.code).toBe('login_taken');
    });
  });

  describe('the deprecated v2.0 API', () => {
    it('describes itself as deprecated', async () => {
      const res = await api('/identity/v2.0');

      expect(res.status).toBe(200);
      expect(res.body.version).toMatchObject({ id: 'v2.0', status: 'deprecated' });
    });

    it('issues a token to a member without 2FA', async () => {
      const m = await member(false);

      const res = await post('/identity/v2.0/tokens', {
        auth: { passwordCredentials: { username: m.login, password: PASSWORD }, tenantName: m.project },
      });

      expect(res.status).toBe(200);
      expect(res.body.access.token).toMatchObject({
        id: expect.any(String),
        tenant: { id: m.projectId, name: m.project },
      });
      expect(res.body.access.user).toMatchObject({ id: m.userId, name: m.login, roles: [{ name: 'owner' }] });
    });

    it('refuses a member with 2FA with a Keystone 401 that points to the v3 API', async () => {
      const m = await member(true);

      const res = await post('/identity/v2.0/tokens', {
        auth: { passwordCredentials: { username: m.login, password: PASSWORD } },
      });

      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({ code: 401, title: 'Unauthorized' });
      expect(res.body.error.message).toContain('Identity v3 API');
    });

    it('answers a wrong password like v3 does, without saying whether 2FA is on', async () => {
      const m = await member(true);

      const res = await post('/identity/v2.0/tokens', {
        auth: { passwordCredentials: { username: m.login, password: 'wrong' } },
      });

      expect(res.status).toBe(401);
      expect(res.body).toEqual(GENERIC_401);
    });
  });

  describe('the service catalog and the rest of /identity', () => {
    const scopedToken = async (m: Awaited<ReturnType<typeof member>>, scope?: unknown) =>
      (await tokens({ methods: ['password'], password: passwordMethod(m.login) }, scope)).headers.get(
        'x-subject-token',
      )!;

    it('lists the configured services in token bodies, the project substituted in their URLs', async () => {
      const m = await member(false);

      const res = await tokens(
        { methods: ['password'], password: passwordMethod(m.login) },
        projectScope(m.project),
      );

      const catalog = res.body.token.catalog as {
        type: string;
        endpoints: { url: string; region: string }[];
      }[];
      expect(catalog.map((s) => s.type)).toEqual(['identity', 'object-store', 'compute']);
      expect(catalog[1].endpoints).toEqual([
        expect.objectContaining({
          interface: 'public',
          region: 'RegionOne',
          url: `http://127.0.0.1:8090/v1/AUTH_${m.projectId}`,
        }),
      ]);
      expect(catalog[2].endpoints[0]).toMatchObject({
        region: 'RegionTwo',
        region_id: 'RegionTwo',
        url: 'http://127.0.0.1:8774/v2.1',
      });
    });

    it('answers GET /v3/auth/catalog with the catalog of the caller’s token, and 403 for an unscoped one', async () => {
      const m = await member(false);
      const token = await scopedToken(m, projectScope(m.project));
      const unscoped = await scopedToken(m, 'unscoped');

      const res = await api('/identity/v3/auth/catalog', { headers: { 'x-auth-token': token } });
      const refused = await api('/identity/v3/auth/catalog', { headers: { 'x-auth-token': unscoped } });
      const anonymous = await api('/identity/v3/auth/catalog');

      expect(res.status).toBe(200);
      expect(res.body.catalog.map((s: { name: string }) => s.name)).toEqual(['keystone', 'swift', 'nova']);
      expect(res.body.catalog[1].endpoints[0].url).toBe(`http://127.0.0.1:8090/v1/AUTH_${m.projectId}`);
      expect(res.body.links).toEqual({ self: `${running.stack.gatewayUrl}/identity/v3/auth/catalog` });
      expect(refused.status).toBe(403);
      // As Keystone 22 answers it (fixtures/keystone-recordings.md, b2).
      expect(refused.body).toEqual({
        error: {
          code: 403,
          message: 'You are not authorized to perform the requested action.',
          title: 'Forbidden',
        },
      });
      expect(anonymous.status).toBe(401);
    });

    it('answers an unknown path with Keystone’s 404 body naming what was not found', async () => {
      const res = await api('/identity/v3/nothing/here?x=1');

      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        error: {
          code: 404,
          title: 'Not Found',
          message: 'The resource could not be found: GET /identity/v3/nothing/here.',
        },
      });
    });

    it('shows the caller its own user, projects and project as Keystone does, and 403 for anyone else’s', async () => {
      const m = await member(false);
      const other = await member(false);
      const headers = { 'x-auth-token': await scopedToken(m, projectScope(m.project)) };
      const base = `${running.stack.gatewayUrl}/identity`;
      const project = {
        id: m.projectId,
        name: m.project,
        domain_id: 'default',
        description: '',
        enabled: true,
        parent_id: 'default',
        is_domain: false,
        tags: [],
        options: {},
        links: { self: `${base}/v3/projects/${m.projectId}` },
      };

      const user = await api(`/identity/v3/users/${m.userId}`, { headers });
      const projects = await api(`/identity/v3/users/${m.userId}/projects`, { headers });
      const own = await api(`/identity/v3/projects/${m.projectId}`, { headers });
      const domains = await api('/identity/v3/auth/domains', { headers });
      const refused = await Promise.all([
        api(`/identity/v3/users/${other.userId}`, { headers }),
        api(`/identity/v3/users/${other.userId}/projects`, { headers }),
        api(`/identity/v3/projects/${other.projectId}`, { headers }),
      ]);

      expect(user.body).toEqual({
        user: {
          id: m.userId,
          name: m.login,
          domain_id: 'default',
          enabled: true,
          default_project_id: m.projectId,
          password_expires_at: null,
          options: {},
          links: { self: `${base}/v3/users/${m.userId}` },
        },
      });
      expect(projects.body).toEqual({
        projects: [project],
        links: { next: null, self: `${base}/v3/users/${m.userId}/projects`, previous: null },
      });
      expect(own.body).toEqual({ project });
      expect(domains.body).toEqual({
        domains: [],
        links: { next: null, self: `${base}/v3/auth/domains`, previous: null },
      });
      expect(refused.map((r) => `${r.status} ${r.body.error.message}`)).toEqual([
        '403 You are not authorized to perform the requested action: identity:get_user.',
        '403 You are not authorized to perform the requested action: identity:list_user_projects.',
        '403 You are not authorized to perform the requested action: identity:get_project.',
      ]);
    });

    it('changes the caller’s password with the original one, ending its tokens, and refuses the wrong one', async () => {
      const m = await member(false);
      const token = await scopedToken(m, projectScope(m.project));
      const other = await member(false);
      const change = (userId: string, original: string, password: string, headers: Record<string, string>) =>
        api(`/identity/v3/users/${userId}/password`, {
          method: 'POST',
          json: { user: { original_password: original, password } },
          headers,
        });
      const NEW = 'a new passphrase for keystone';

      const wrong = await change(m.userId, 'not the password', NEW, { 'x-auth-token': token });
      const anothers = await change(other.userId, PASSWORD, NEW, { 'x-auth-token': token });
      const anonymous = await change(m.userId, PASSWORD, NEW, {});
      const tooShort = await change(m.userId, PASSWORD, 'short', { 'x-auth-token': token });
      const changed = await change(m.userId, PASSWORD, NEW, { 'x-auth-token': token });

      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual(GENERIC_401);
      expect(anothers.body.error.message).toBe(
        'You are not authorized to perform the requested action: identity:update_password.',
      );
      expect(anonymous.status).toBe(401);
      expect(tooShort.status).toBe(400);
      expect(changed.status).toBe(204);
      expect((await api('/identity/v3/auth/projects', { headers: { 'x-auth-token': token } })).status).toBe(
        401,
      );
      expect((await tokens({ methods: ['password'], password: passwordMethod(m.login) })).status).toBe(401);
      const fresh = await tokens({ methods: ['password'], password: passwordMethod(m.login, NEW) });
      expect(fresh.status).toBe(201);
      const session = (await post('/api/v1/auth/login', { login: m.login, password: NEW })).body
        .token as string;
      const audit = await api('/api/v1/account/audit-events', { token: session });
      expect(audit.body.events.map((e: { type: string }) => e.type)).toContain('password.changed');
    });
  });
});
