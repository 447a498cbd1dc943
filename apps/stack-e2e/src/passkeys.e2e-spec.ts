import { AuthenticatorApp, SoftwareAuthenticator } from '@twofold/testing';
import { type ApiResponse, type RunningStack, startStack } from './support';

jest.setTimeout(120_000);

const PASSWORD = 'correct horse battery staple';

/** Passkeys over HTTP, with an authenticator written in the tests (ES256, `none` attestation). */
describe('passkeys through the gateway', () => {
  let running: RunningStack;
  let api: RunningStack['api'];
  let origin: string;
  let n = 0;

  beforeAll(async () => {
    running = await startStack('e2e_passkeys');
    api = running.api;
    origin = `http://localhost:${new URL(running.stack.gatewayUrl).port}`;
  });

  afterAll(async () => {
    await running?.close();
  });

  const post = (path: string, json: unknown, token?: string): Promise<ApiResponse> =>
    api(path, { method: 'POST', json, ...(token ? { token } : {}) });
  const login = (loginName: string): Promise<ApiResponse> =>
    post('/api/v1/auth/login', { login: loginName, password: PASSWORD });

  const signUp = async () => {
    n += 1;
    const loginName = `pk-${n}-${Date.now()}`;
    const created = await post('/api/v1/accounts', {
      accountName: `Passkeys ${loginName}`,
      login: loginName,
      email: `${loginName}@example.com`,
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    return { login: loginName, session: (await login(loginName)).body.token as string };
  };

  const addPasskey = async (session: string, key: SoftwareAuthenticator, name = 'Laptop') => {
    const { body } = await post('/api/v1/me/passkeys/registration-options', {}, session);
    return post('/api/v1/me/passkeys', { name, response: key.create(body.options, origin) }, session);
  };

  /** A member whose only second factor is a passkey on `key`. */
  const passkeyMember = async (key = new SoftwareAuthenticator()) => {
    const member = await signUp();
    const added = await addPasskey(member.session, key);
    expect(added.status).toBe(201);
    return { ...member, key, recoveryCodes: added.body.recoveryCodes as string[] };
  };

  /** Adds an authenticator app from `session`; its recovery codes replace the member's. */
  const enrolApp = async (session: string) => {
    const enrollment = await post('/api/v1/me/two-factor/enrollment', { password: PASSWORD }, session);
    expect(enrollment.status).toBe(201);
    const app = new AuthenticatorApp(enrollment.body.secret);
    const confirmed = await post(
      '/api/v1/me/two-factor/enrollment/confirm',
      { code: await app.nextCode() },
      session,
    );
    expect(confirmed.status).toBe(200);
    return { app, recoveryCodes: enrollment.body.recoveryCodes as string[] };
  };

  const signInWith = async (member: { login: string }, key: SoftwareAuthenticator) => {
    const started = await login(member.login);
    return post('/api/v1/auth/mfa', {
      mfaToken: started.body.mfaToken,
      webauthn: key.get(started.body.webauthn.options, origin),
    });
  };

  it('adds a first passkey: 2FA is on, with 4 recovery codes once, and this session proved it', async () => {
    const member = await signUp();
    const other = (await login(member.login)).body.token as string;
    const key = new SoftwareAuthenticator();

    const options = await post('/api/v1/me/passkeys/registration-options', {}, member.session);
    expect(options.status).toBe(200);
    expect(options.body.options).toMatchObject({
      rp: { id: 'localhost' },
      user: { name: member.login },
      excludeCredentials: [],
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    });
    const added = await post(
      '/api/v1/me/passkeys',
      { name: 'Laptop', response: key.create(options.body.options, origin) },
      member.session,
    );

    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      passkey: {
        id: expect.any(String),
        name: 'Laptop',
        createdAt: expect.any(String),
        lastUsedAt: null,
        backedUp: false,
      },
      recoveryCodes: [expect.any(String), expect.any(String), expect.any(String), expect.any(String)],
    });
    const me = await api('/api/v1/me', { token: member.session });
    expect(me.body.session).toMatchObject({ aal: 2, amr: ['pwd', 'hwk'] });
    expect(me.body.twoFactor).toMatchObject({
      enabled: true,
      factors: ['webauthn'],
      recoveryCodesRemaining: 4,
    });
    // 2FA on ends the member's password-only sessions.
    expect((await api('/api/v1/me', { token: other })).status).toBe(401);

    const second = await addPasskey(member.session, new SoftwareAuthenticator({ synced: true }), 'Phone');
    expect(second.status).toBe(201);
    expect(second.body.recoveryCodes).toBeUndefined();
    expect((await api('/api/v1/me/passkeys', { token: member.session })).body.passkeys).toEqual([
      expect.objectContaining({ name: 'Laptop' }),
      expect.objectContaining({ name: 'Phone', backedUp: true }),
    ]);
  });

  it('signs in with the password and the passkey (aal 2, amr pwd + hwk), offering it first', async () => {
    const member = await passkeyMember();

    const started = await login(member.login);
    expect(started.body).toMatchObject({
      status: 'mfa_required',
      methods: ['webauthn', 'recovery_code'],
      webauthn: {
        options: { rpId: 'localhost', allowCredentials: [expect.objectContaining({ type: 'public-key' })] },
      },
    });
    const done = await post('/api/v1/auth/mfa', {
      mfaToken: started.body.mfaToken,
      webauthn: member.key.get(started.body.webauthn.options, origin),
    });

    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'authenticated', aal: 2, amr: ['pwd', 'hwk'] });
    expect((await api('/api/v1/me', { token: done.body.token })).body.session.amr).toEqual(['pwd', 'hwk']);
    const [passkey] = (await api('/api/v1/me/passkeys', { token: done.body.token })).body.passkeys;
    expect(passkey.lastUsedAt).not.toBeNull();
  });

  it('names TOTP sign-ins pwd + otp, and offers both factors to a member with both', async () => {
    const member = await passkeyMember();
    const me = await signInWith(member, member.key);
    const { app } = await enrolApp(me.body.token);

    const started = await login(member.login);
    expect(started.body.methods).toEqual(['webauthn', 'totp', 'recovery_code']);
    const done = await post('/api/v1/auth/mfa', {
      mfaToken: started.body.mfaToken,
      code: await app.nextCode(),
    });
    expect(done.body).toMatchObject({ aal: 2, amr: ['pwd', 'otp'] });
  });

  it('refuses a wrong passkey answer, keeping the sign-in open for the right one', async () => {
    const member = await passkeyMember();
    const started = await login(member.login);
    const stranger = new SoftwareAuthenticator();
    await addPasskey((await signUp()).session, stranger);

    const wrong = await post('/api/v1/auth/mfa', {
      mfaToken: started.body.mfaToken,
      webauthn: stranger.get({ ...started.body.webauthn.options, allowCredentials: [] }, origin),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('passkey_refused');

    // The refusal spent the challenge: the same sign-in asks for a new one.
    const fresh = await post('/api/v1/auth/mfa/options', { mfaToken: started.body.mfaToken });
    expect(fresh.status).toBe(200);
    const right = await post('/api/v1/auth/mfa', {
      mfaToken: started.body.mfaToken,
      webauthn: member.key.get(fresh.body.options, origin),
    });
    expect(right.status).toBe(200);
    expect((await post('/api/v1/auth/mfa/options', { mfaToken: started.body.mfaToken })).status).toBe(401);
  });

  it('signs in with a passkey alone only when it verified its user', async () => {
    const member = await passkeyMember();

    const options = await post('/api/v1/auth/passkey/options', {});
    expect(options.status).toBe(200);
    expect(options.body).toMatchObject({
      challengeId: options.body.options.challenge,
      options: { rpId: 'localhost', allowCredentials: [], userVerification: 'required' },
    });
    const done = await post('/api/v1/auth/passkey', {
      challengeId: options.body.challengeId,
      response: member.key.get(options.body.options, origin),
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'authenticated', aal: 2, amr: ['hwk', 'mfa'] });
    expect((await api('/api/v1/me', { token: done.body.token })).body.user.login).toBe(member.login);

    const presenceOnly = await passkeyMember(new SoftwareAuthenticator({ userVerification: false }));
    const next = await post('/api/v1/auth/passkey/options', {});
    const refused = await post('/api/v1/auth/passkey', {
      challengeId: next.body.challengeId,
      response: presenceOnly.key.get(next.body.options, origin),
    });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('passkey_refused');
  });

  it('steps up with a passkey', async () => {
    const member = await passkeyMember();
    const options = await post('/api/v1/auth/step-up/options', {}, member.session);
    expect(options.status).toBe(200);

    const stepped = await post(
      '/api/v1/auth/step-up',
      { webauthn: member.key.get(options.body.options, origin) },
      member.session,
    );
    expect(stepped.status).toBe(200);
    expect(stepped.body.freshUntil).toEqual(expect.any(String));
  });

  it('renames and removes passkeys; removing the last turns 2FA off', async () => {
    const member = await passkeyMember();
    await addPasskey(member.session, new SoftwareAuthenticator(), 'Spare');
    const [laptop, spare] = (await api('/api/v1/me/passkeys', { token: member.session })).body.passkeys;

    const renamed = await api(`/api/v1/me/passkeys/${spare.id}`, {
      method: 'PATCH',
      json: { name: 'Office key' },
      token: member.session,
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.passkey.name).toBe('Office key');
    expect(
      (
        await api(`/api/v1/me/passkeys/${spare.id}`, {
          method: 'PATCH',
          json: { name: ' ' },
          token: member.session,
        })
      ).status,
    ).toBe(400);

    expect(
      (await api(`/api/v1/me/passkeys/${spare.id}`, { method: 'DELETE', token: member.session })).status,
    ).toBe(204);
    expect(
      (await api(`/api/v1/me/passkeys/${laptop.id}`, { method: 'DELETE', token: member.session })).status,
    ).toBe(204);
    expect((await api('/api/v1/me/two-factor', { token: member.session })).body).toMatchObject({
      enabled: false,
      factors: [],
    });
    expect((await login(member.login)).body.status).toBe('authenticated');
  });

  it('takes a recovery code from a member with no authenticator app, and refuses a TOTP-shaped one', async () => {
    const member = await passkeyMember();
    const started = await login(member.login);

    const totpShaped = await post('/api/v1/auth/mfa', { mfaToken: started.body.mfaToken, code: '123456' });
    expect(totpShaped.status).toBe(400);
    const recovered = await post('/api/v1/auth/mfa', {
      mfaToken: started.body.mfaToken,
      code: member.recoveryCodes[0],
    });
    expect(recovered.status).toBe(200);
    expect(recovered.body.aal).toBe(2);
  });

  describe('OpenStack clients', () => {
    const keystone = (identity: unknown) => post('/identity/v3/auth/tokens', { auth: { identity } });

    it('tell a member whose second factor is a passkey that its passcode cannot be one', async () => {
      const member = await passkeyMember();
      const password = { user: { name: member.login, domain: { name: 'Default' }, password: PASSWORD } };

      const answer = await keystone({
        methods: ['password', 'totp'],
        password,
        totp: { user: { ...password.user, passcode: '123456' } },
      });

      expect(answer.status).toBe(401);
      expect(answer.body.error).toMatchObject({ code: 401, title: 'Unauthorized' });
      expect(answer.body.error.message).toMatch(/passkey.*application credential/);
    });

    it('sign in with an application credential made from a passkey session, naming the method used', async () => {
      const member = await passkeyMember();
      const made = await post('/api/v1/me/application-credentials', { name: 'cli' }, member.session);
      expect(made.status).toBe(201);

      const token = await keystone({
        methods: ['application_credential'],
        application_credential: { id: made.body.credential.id.replace(/-/g, ''), secret: made.body.secret },
      });

      expect(token.status).toBe(201);
      expect(token.body.token.methods).toEqual(['application_credential']);
    });
  });

  describe('the account policy', () => {
    const setPolicy = (session: string, json: unknown) =>
      api('/api/v1/account/policy', { method: 'PUT', json, token: session });

    /** An owner with both an authenticator app and a passkey. */
    const ownerWithBoth = async () => {
      const member = await passkeyMember();
      return { ...member, ...(await enrolApp(member.session)) };
    };

    it('asks members of the named roles for their passkey: codes from the app are refused, recovery codes work', async () => {
      const owner = await ownerWithBoth();
      const set = await setPolicy(owner.session, { phishingResistantFor: ['owner', 'admin'] });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({
        phishingResistantFor: ['admin', 'owner'],
        allowedSecondFactors: ['totp', 'webauthn'],
        passwordlessSignIn: true,
      });

      const started = await login(owner.login);
      expect(started.body.methods).toEqual(['webauthn', 'recovery_code']);
      const code = await post('/api/v1/auth/mfa', {
        mfaToken: started.body.mfaToken,
        code: await owner.app.nextCode(),
      });
      expect(code.status).toBe(403);
      expect(code.body.error.code).toBe('phishing_resistant_factor_required');
      // The refusal spent nothing: the same sign-in completes with a recovery code.
      const recovered = await post('/api/v1/auth/mfa', {
        mfaToken: started.body.mfaToken,
        code: owner.recoveryCodes[0],
      });
      expect(recovered.status).toBe(200);
      expect((await signInWith(owner, owner.key)).status).toBe(200);
    });

    it('lets a named member without a passkey keep using codes, and stops passkeys where they are not allowed', async () => {
      const owner = await signUp();
      const { app } = await enrolApp(owner.session);
      expect(
        (await setPolicy(owner.session, { phishingResistantFor: ['owner'], gracePeriodDays: 30 })).status,
      ).toBe(200);

      const started = await login(owner.login);
      expect(started.body.methods).toEqual(['totp', 'recovery_code']);
      expect(
        (await post('/api/v1/auth/mfa', { mfaToken: started.body.mfaToken, code: await app.nextCode() }))
          .status,
      ).toBe(200);

      expect(
        (await setPolicy(owner.session, { allowedSecondFactors: ['totp'], phishingResistantFor: [] })).status,
      ).toBe(200);
      const refused = await post('/api/v1/me/passkeys/registration-options', {}, owner.session);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('second_factor_not_allowed');
    });

    it('past the grace period, a named member without a passkey may only add one; adding it opens the rest', async () => {
      const owner = await signUp();
      const { app, recoveryCodes } = await enrolApp(owner.session);
      const set = await setPolicy(owner.session, { phishingResistantFor: ['owner'], gracePeriodDays: 0 });
      expect(set.status).toBe(200);

      const started = await login(owner.login);
      const done = await post('/api/v1/auth/mfa', {
        mfaToken: started.body.mfaToken,
        code: await app.nextCode(),
      });
      expect(done.status).toBe(200);
      const session = done.body.token as string;
      const me = await api('/api/v1/me', { token: session });
      expect(me.body.session.restricted).toBe(true);
      expect(me.body.twoFactor.passkeyDeadline).toEqual(expect.any(String));
      expect((await api('/api/v1/me/application-credentials', { token: session })).status).toBe(403);
      const keystone = await post('/identity/v3/auth/tokens', {
        auth: {
          identity: {
            methods: ['password', 'totp'],
            password: { user: { name: owner.login, domain: { name: 'Default' }, password: PASSWORD } },
            totp: {
              user: {
                name: owner.login,
                domain: { name: 'Default' },
                passcode: recoveryCodes[0],
              },
            },
          },
        },
      });
      expect(keystone.status).toBe(401);
      expect(keystone.body.error.message).toMatch(/passkey/);

      expect((await addPasskey(session, new SoftwareAuthenticator())).status).toBe(201);
      const after = await api('/api/v1/me', { token: session });
      expect(after.body.session.restricted).toBe(false);
      expect(after.body.twoFactor.passkeyDeadline).toBeNull();
      expect((await api('/api/v1/me/application-credentials', { token: session })).status).toBe(200);
    });

    it('turns passwordless sign-in off for an account', async () => {
      const owner = await passkeyMember();
      expect((await setPolicy(owner.session, { passwordlessSignIn: false })).status).toBe(200);

      const options = await post('/api/v1/auth/passkey/options', {});
      const refused = await post('/api/v1/auth/passkey', {
        challengeId: options.body.challengeId,
        response: owner.key.get(options.body.options, origin),
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('second_factor_not_allowed');
      expect((await signInWith(owner, owner.key)).status).toBe(200);
    });
  });
});
