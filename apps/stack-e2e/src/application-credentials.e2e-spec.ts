import { AuthenticatorApp, eventually, type SmtpCatcher, startSmtpCatcher } from '@twofold/testing';
import { addMember as addToTeam, type ApiResponse, type RunningStack, startStack } from './support';

jest.setTimeout(180_000);

const PASSWORD = 'correct horse battery staple';

/**
 * Application credentials: automation signs in without a code, with the credential's roles
 * only; making one needs the second factor when the member has 2FA; its tokens end with it.
 */
describe('application credentials', () => {
  let smtp: SmtpCatcher;
  let running: RunningStack;
  let api: RunningStack['api'];
  let n = 0;

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    running = await startStack('e2e_appcred', { env: { SMTP_URL: smtp.url } });
    api = running.api;
  });

  afterAll(async () => {
    await running?.close();
    await smtp?.close();
  });

  const post = (path: string, json: unknown, token?: string) =>
    api(path, { method: 'POST', json, ...(token ? { token } : {}) });
  const keystoneId = (uuid: string) => uuid.replace(/-/g, '');
  const credentialSignIn = (section: unknown, scope?: unknown) =>
    api('/identity/v3/auth/tokens', {
      method: 'POST',
      json: {
        auth: {
          identity: { methods: ['application_credential'], application_credential: section },
          ...(scope ? { scope } : {}),
        },
      },
    });

  /** An account's owner with 2FA: the session that turned it on (signed in with the password) and one with a code. */
  const ownerWith2fa = async () => {
    n += 1;
    const login = `appcred-${n}-${Date.now()}`;
    const created = await post('/api/v1/accounts', {
      accountName: `AppCred ${login}`,
      login,
      email: `${login}@example.com`,
      password: PASSWORD,
    });
    const first = (await post('/api/v1/auth/login', { login, password: PASSWORD })).body.token as string;
    const enrollment = await post('/api/v1/me/two-factor/enrollment', { password: PASSWORD }, first);
    const app = new AuthenticatorApp(enrollment.body.secret as string);
    await post('/api/v1/me/two-factor/enrollment/confirm', { code: await app.nextCode() }, first);
    const codes = enrollment.body.recoveryCodes as string[];
    const strong = (
      await post('/api/v1/auth/mfa', {
        mfaToken: (await post('/api/v1/auth/login', { login, password: PASSWORD })).body.mfaToken,
        code: codes[0],
      })
    ).body.token as string;
    return {
      login,
      email: `${login}@example.com`,
      id: created.body.user.id as string,
      accountId: created.body.account.id as string,
      passwordOnly: first,
      strong,
      codes: codes.slice(1),
    };
  };

  const addMember = async (ownerToken: string, roles: string[]) => {
    const login = `appcred-member-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
    const added = await addToTeam(
      running,
      ownerToken,
      { login, email: `${login}@example.com`, password: PASSWORD, roles },
      { mails: () => smtp.mails },
    );
    expect(added.status).toBe(201);
    return {
      login,
      email: `${login}@example.com`,
      id: added.body.id as string,
      token: (await post('/api/v1/auth/login', { login, password: PASSWORD })).body.token as string,
    };
  };

  it('is made from a session with the second factor and signs in without a code, with its roles only', async () => {
    const owner = await ownerWith2fa();

    const made = await post(
      '/api/v1/me/application-credentials',
      { name: 'ci', roles: ['owner'] },
      owner.strong,
    );
    expect(made.status).toBe(201);
    expect(made.headers.get('cache-control')).toBe('no-store');
    const { credential, secret } = made.body as {
      credential: { id: string; roles: string[] };
      secret: string;
    };
    expect(secret).toMatch(/^[A-Za-z0-9_-]{86}$/);
    const byId = await credentialSignIn({ id: keystoneId(credential.id), secret });
    const byName = await credentialSignIn({
      name: 'ci',
      user: { name: owner.login, domain: { name: 'Default' } },
      secret,
    });

    expect(byId.status).toBe(201);
    expect(byId.body.token).toMatchObject({
      methods: ['application_credential'],
      roles: [expect.objectContaining({ name: 'owner' })],
      application_credential: { id: keystoneId(credential.id), name: 'ci', restricted: true },
      project: { id: keystoneId(owner.accountId) },
    });
    expect(byName.status).toBe(201);
    const listed = await api('/api/v1/me/application-credentials', { token: owner.strong });
    expect(listed.body.credentials).toEqual([
      expect.objectContaining({ id: credential.id, name: 'ci', roles: ['owner'] }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const mails = await eventually(() => {
      const mine = smtp.mails.filter(
        (m) => m.to.includes(owner.email) && m.subject.includes('application credential'),
      );
      return mine.length > 0 ? mine : undefined;
    });
    expect(mails[0].subject).toBe('[Twofold] An application credential was created');
    expect(mails[0].body).not.toContain(secret);
  });

  it('cannot be made with roles the member lacks; the session that turned 2FA on proved it, and may', async () => {
    const owner = await ownerWith2fa();
    const billing = await addMember(owner.strong, ['billing']);

    const fromEnrolling = await post(
      '/api/v1/me/application-credentials',
      { name: 'made while enrolling' },
      owner.passwordOnly,
    );
    const moreRoles = await post(
      '/api/v1/me/application-credentials',
      { name: 'greedy', roles: ['admin'] },
      billing.token,
    );
    const withoutTwoFactor = await post(
      '/api/v1/me/application-credentials',
      { name: 'fine' },
      billing.token,
    );

    expect(fromEnrolling.status).toBe(201);
    expect((await api('/api/v1/me', { token: owner.passwordOnly })).body.session).toMatchObject({
      aal: 2,
      amr: ['pwd', 'otp'],
    });
    expect(moreRoles.status).toBe(400);
    expect(withoutTwoFactor.status).toBe(201);
  });

  it('refuses a wrong secret, an unknown id or name, a scope, and being combined with a password', async () => {
    const owner = await ownerWith2fa();
    const { credential, secret } = (
      await post('/api/v1/me/application-credentials', { name: 'ci' }, owner.strong)
    ).body as {
      credential: { id: string };
      secret: string;
    };
    const id = keystoneId(credential.id);

    const answers: ApiResponse[] = [
      await credentialSignIn({ id, secret: `${secret}x` }),
      await credentialSignIn({ id: '0'.repeat(32), secret }),
      await credentialSignIn({
        name: 'nope',
        user: { name: owner.login, domain: { name: 'Default' } },
        secret,
      }),
      await credentialSignIn({ name: 'ci', secret }),
      await credentialSignIn({ id, secret }, { project: { id: keystoneId(owner.accountId) } }),
      await api('/identity/v3/auth/tokens', {
        method: 'POST',
        json: {
          auth: {
            identity: {
              methods: ['application_credential', 'password'],
              application_credential: { id, secret },
              password: { user: { name: owner.login, domain: { name: 'Default' }, password: PASSWORD } },
            },
          },
        },
      }),
    ];

    expect(answers.map((a) => a.status)).toEqual([401, 404, 401, 400, 401, 401]);
    expect(answers[1].body.error.message).toBe(`Could not find Application Credential: ${'0'.repeat(32)}.`);
    expect(answers[3].body.error.message).toMatch(/^Expecting to find user in application credential\./);
    expect(answers[4].body.error).toEqual({
      code: 401,
      identity: {},
      message:
        'Error authenticating with application credential: Application credentials cannot request a scope.',
      title: 'Unauthorized',
    });
    expect(answers.every((a) => a.headers.get('x-subject-token') === null)).toBe(true);
  });

  it('gives a token that opens no account settings, makes no further credentials and changes no password; nobody makes one for another member', async () => {
    const owner = await ownerWith2fa();
    const { credential, secret } = (
      await post('/api/v1/me/application-credentials', { name: 'ci' }, owner.strong)
    ).body as {
      credential: { id: string };
      secret: string;
    };
    const token = (await credentialSignIn({ id: keystoneId(credential.id), secret })).headers.get(
      'x-subject-token',
    )!;

    const rest = await api('/api/v1/me', { token });
    const child = await api(`/identity/v3/users/${keystoneId(owner.id)}/application_credentials`, {
      method: 'POST',
      json: { application_credential: { name: 'child' } },
      headers: { 'x-auth-token': token },
    });
    const remove = await api(
      `/identity/v3/users/${keystoneId(owner.id)}/application_credentials/${keystoneId(credential.id)}`,
      {
        method: 'DELETE',
        headers: { 'x-auth-token': token },
      },
    );
    const disable = await api('/api/v1/me/two-factor', { method: 'DELETE', token });
    const password = await api(`/identity/v3/users/${keystoneId(owner.id)}/password`, {
      method: 'POST',
      json: { user: { original_password: PASSWORD, password: 'taken over by automation' } },
      headers: { 'x-auth-token': token },
    });
    const othersCredentials = await api(
      `/identity/v3/users/${keystoneId(owner.id)}/application_credentials`,
      {
        method: 'POST',
        json: { application_credential: { name: 'not mine' } },
        headers: { 'x-auth-token': (await ownerWith2fa()).strong },
      },
    );

    expect(rest.status).toBe(403);
    expect(child.status).toBe(403);
    expect(child.body.error.message).toBe(
      "You are not authorized to perform the requested action: Using method 'application_credential' is not allowed for managing additional application credentials..",
    );
    expect(remove.status).toBe(403);
    expect(disable.status).toBe(403);
    expect(password.status).toBe(403);
    expect((await post('/api/v1/auth/login', { login: owner.login, password: PASSWORD })).status).toBe(200);
    expect(othersCredentials.status).toBe(403);
    expect(othersCredentials.body.error.message).toBe(
      'You are not authorized to perform the requested action: identity:create_application_credential.',
    );
  });

  it('ends its tokens when it is deleted, with its member, and when the member changes password', async () => {
    const owner = await ownerWith2fa();
    const member = await addMember(owner.strong, ['ops']);
    const mine = (await post('/api/v1/me/application-credentials', { name: 'ci' }, owner.strong)).body;
    const theirs = (await post('/api/v1/me/application-credentials', { name: 'deploy' }, member.token)).body;
    const myToken = (
      await credentialSignIn({ id: keystoneId(mine.credential.id), secret: mine.secret })
    ).headers.get('x-subject-token')!;
    const theirToken = (
      await credentialSignIn({ id: keystoneId(theirs.credential.id), secret: theirs.secret })
    ).headers.get('x-subject-token')!;
    const validate = (token: string) =>
      api('/identity/v3/auth/tokens', {
        headers: { 'x-auth-token': owner.strong, 'x-subject-token': token },
      });
    expect((await validate(myToken)).status).toBe(200);

    // A new password ends the member's tokens, a credential's too; the credential itself signs in again.
    const newPassword = 'another passphrase for appcred';
    expect(
      (
        await api('/api/v1/me/password', {
          method: 'PUT',
          token: owner.strong,
          json: { currentPassword: PASSWORD, newPassword },
        })
      ).status,
    ).toBe(204);
    expect((await validate(myToken)).status).toBe(404);
    const again = await credentialSignIn({ id: keystoneId(mine.credential.id), secret: mine.secret });
    expect(again.status).toBe(201);
    expect((await validate(again.headers.get('x-subject-token')!)).status).toBe(200);

    expect(
      (
        await api(`/api/v1/me/application-credentials/${mine.credential.id}`, {
          method: 'DELETE',
          token: owner.strong,
        })
      ).status,
    ).toBe(204);
    expect((await validate(myToken)).status).toBe(404);
    expect((await credentialSignIn({ id: keystoneId(mine.credential.id), secret: mine.secret })).status).toBe(
      404,
    );

    expect(
      (await api(`/api/v1/account/members/${member.id}`, { method: 'DELETE', token: owner.strong })).status,
    ).toBe(204);
    expect((await validate(theirToken)).status).toBe(404);
    expect(
      (await credentialSignIn({ id: keystoneId(theirs.credential.id), secret: theirs.secret })).status,
    ).toBe(404);
  });

  it('lets owners and admins list and delete a member’s credentials, never the owner’s', async () => {
    const owner = await ownerWith2fa();
    const admin = await addMember(owner.strong, ['admin']);
    const ops = await addMember(owner.strong, ['ops']);
    const theirs = (await post('/api/v1/me/application-credentials', { name: 'deploy' }, ops.token)).body;
    await post('/api/v1/me/application-credentials', { name: 'owner-ci' }, owner.strong);
    const opsCredentials = `/api/v1/account/members/${ops.id}/application-credentials`;

    const listed = await api(opsCredentials, { token: admin.token });
    const ownersByAdmin = await api(`/api/v1/account/members/${owner.id}/application-credentials`, {
      token: admin.token,
    });
    const ownByRoute = await api(`/api/v1/account/members/${admin.id}/application-credentials`, {
      token: admin.token,
    });
    const byOps = await api(`/api/v1/account/members/${admin.id}/application-credentials`, {
      token: ops.token,
    });
    const deleted = await api(`${opsCredentials}/${theirs.credential.id}`, {
      method: 'DELETE',
      token: admin.token,
    });

    expect(listed.body.credentials.map((c: { name: string }) => c.name)).toEqual(['deploy']);
    expect(ownersByAdmin.status).toBe(403);
    expect(ownByRoute.body.error.code).toBe('use_me_route');
    expect(byOps.status).toBe(403);
    expect(deleted.status).toBe(204);
    expect((await api('/api/v1/me/application-credentials', { token: ops.token })).body.credentials).toEqual(
      [],
    );
    const audit = await eventually(async () => {
      const events = (await api('/api/v1/account/audit-events?limit=100', { token: owner.strong })).body
        .events as {
        type: string;
        actorId: string;
        subjectId: string;
      }[];
      return events.find((e) => e.type === 'application_credential.deleted' && e.subjectId === ops.id);
    });
    expect(audit.actorId).toBe(admin.id);
  });

  it('is managed through Keystone’s API with Keystone’s shapes', async () => {
    const owner = await ownerWith2fa();
    const keystoneToken = (
      await api('/identity/v3/auth/tokens', {
        method: 'POST',
        json: {
          auth: {
            identity: {
              methods: ['password', 'totp'],
              password: { user: { name: owner.login, domain: { name: 'Default' }, password: PASSWORD } },
              totp: { user: { name: owner.login, domain: { name: 'Default' }, passcode: owner.codes[0] } },
            },
          },
        },
      })
    ).headers.get('x-subject-token')!;
    const headers = { 'x-auth-token': keystoneToken };
    const base = `/identity/v3/users/${keystoneId(owner.id)}/application_credentials`;

    const made = await api(base, {
      method: 'POST',
      headers,
      json: {
        application_credential: {
          name: 'ci',
          description: 'x',
          roles: [{ name: 'owner' }],
          expires_at: '2099-01-01T00:00:00',
        },
      },
    });
    const duplicate = await api(base, {
      method: 'POST',
      headers,
      json: { application_credential: { name: 'ci' } },
    });
    const unknownRole = await api(base, {
      method: 'POST',
      headers,
      json: { application_credential: { name: 'x', roles: [{ name: 'nosuchrole' }] } },
    });
    const listed = await api(`${base}?name=ci`, { headers });
    const one = await api(`${base}/${made.body.application_credential.id}`, { headers });
    const removed = await api(`${base}/${made.body.application_credential.id}`, {
      method: 'DELETE',
      headers,
    });
    const gone = await api(`${base}/${made.body.application_credential.id}`, { headers });

    expect(made.status).toBe(201);
    expect(made.body.application_credential).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      name: 'ci',
      description: 'x',
      user_id: keystoneId(owner.id),
      project_id: keystoneId(owner.accountId),
      system: null,
      expires_at: '2099-01-01T00:00:00.000000',
      unrestricted: null,
      roles: [
        {
          id: expect.stringMatching(/^[0-9a-f]{32}$/),
          name: 'owner',
          domain_id: null,
          description: null,
          options: { immutable: true },
        },
      ],
      secret: expect.stringMatching(/^[A-Za-z0-9_-]{86}$/),
      links: {
        self: `${running.stack.gatewayUrl}/identity/v3/application_credentials/${made.body.application_credential.id}`,
      },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.message).toBe(
      'Conflict occurred attempting to store application_credential - Duplicate entry found with name ci.',
    );
    expect(unknownRole.status).toBe(404);
    expect(unknownRole.body.error.message).toBe('Role nosuchrole is not defined');
    expect(listed.body.application_credentials).toHaveLength(1);
    expect(listed.body.application_credentials[0].secret).toBeUndefined();
    expect(one.body.application_credential.name).toBe('ci');
    expect(removed.status).toBe(204);
    expect(gone.status).toBe(404);
    expect(gone.body.error.message).toBe(
      `Could not find Application Credential: ${made.body.application_credential.id}.`,
    );
  });
});
