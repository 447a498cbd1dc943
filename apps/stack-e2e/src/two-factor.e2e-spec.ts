import { type TwoFactorStatus } from '@twofold/contracts';
import { AuthenticatorApp, eventually, secretFromOtpauthUri, totpReference } from '@twofold/testing';
import { type ApiResponse, type RunningStack, startStack } from './support';

jest.setTimeout(120_000);

const PASSWORD = 'correct horse battery staple';

describe('two-factor sign-in through the gateway (two otp-service instances)', () => {
  let running: RunningStack;
  let api: RunningStack['api'];
  let n = 0;

  beforeAll(async () => {
    running = await startStack('e2e_2fa', { otpServiceInstances: 2 });
    api = running.api;
  });

  afterAll(async () => {
    await running?.close();
  });

  const post = (path: string, json: unknown, token?: string): Promise<ApiResponse> =>
    api(path, { method: 'POST', json, ...(token ? { token } : {}) });
  const login = (login: string, password = PASSWORD): Promise<ApiResponse> =>
    post('/api/v1/auth/login', { login, password });

  /** A new member, signed in, with 2FA enabled through the REST API. */
  const memberWith2fa = async () => {
    n += 1;
    const loginName = `mfa-${n}-${Date.now()}`;
    await post('/api/v1/accounts', {
      accountName: `MFA ${loginName}`,
      login: loginName,
      email: `${loginName}@example.com`,
      password: PASSWORD,
    });
    const session: string = (await login(loginName)).body.token;
    const enrollment = await post('/api/v1/me/two-factor/enrollment', { password: PASSWORD }, session);
    const app = new AuthenticatorApp(enrollment.body.secret);
    const confirmed = await post(
      '/api/v1/me/two-factor/enrollment/confirm',
      { code: await app.nextCode() },
      session,
    );
    expect(confirmed.status).toBe(200);
    return { login: loginName, session, app, recoveryCodes: enrollment.body.recoveryCodes as string[] };
  };

  it('enables 2FA, signs in with a code, with a recovery code (not twice), and disables it', async () => {
    const loginName = `alice-${Date.now()}`;
    const signUp = await post('/api/v1/accounts', {
      accountName: `Acme ${loginName}`,
      login: loginName,
      email: `${loginName}@example.com`,
      password: PASSWORD,
    });
    expect(signUp.status).toBe(201);
    const firstSession: string = (await login(loginName)).body.token;

    // Enrol: the password again, then the secret, URI, QR code and 4 recovery codes, once.
    const wrongPassword = await post(
      '/api/v1/me/two-factor/enrollment',
      { password: 'not my password' },
      firstSession,
    );
    expect(wrongPassword.status).toBe(401);
    const enrollment = await post('/api/v1/me/two-factor/enrollment', { password: PASSWORD }, firstSession);
    expect(enrollment.status).toBe(201);
    expect(enrollment.body).toEqual({
      secret: expect.stringMatching(/^[A-Z2-7]{32}$/),
      otpauthUri: expect.stringMatching(/^otpauth:\/\/totp\/Twofold:/),
      qrCodeSvg: expect.stringContaining('<svg'),
      recoveryCodes: [expect.any(String), expect.any(String), expect.any(String), expect.any(String)],
      expiresAt: expect.any(String),
    });
    expect((await api('/api/v1/me/two-factor', { token: firstSession })).body).toMatchObject({
      enabled: false,
      pending: true,
    });

    // Confirm with a code computed from the secret in the otpauth:// URI, as a phone app would.
    const phone = new AuthenticatorApp(secretFromOtpauthUri(enrollment.body.otpauthUri));
    const confirm = await post(
      '/api/v1/me/two-factor/enrollment/confirm',
      { code: await phone.nextCode() },
      firstSession,
    );
    expect(confirm.body).toEqual({ enabled: true, recoveryCodesRemaining: 4 });
    expect((await api('/api/v1/me', { token: firstSession })).body.twoFactor).toEqual({
      enabled: true,
      required: false,
      factors: ['totp'],
      recoveryCodesRemaining: 4,
      deadline: null,
      passkeyDeadline: null,
    });

    // Sign in: the password answers "second factor required"; a wrong code leaves the MFA token usable.
    const step1 = await login(loginName);
    expect(step1.body).toEqual({
      status: 'mfa_required',
      mfaToken: expect.any(String),
      methods: ['totp', 'recovery_code'],
      expiresAt: expect.any(String),
    });
    const wrong = await post('/api/v1/auth/mfa', { mfaToken: step1.body.mfaToken, code: phone.wrongCode() });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_code');
    const usedCode = await phone.nextCode();
    const codeSession = await post('/api/v1/auth/mfa', { mfaToken: step1.body.mfaToken, code: usedCode });
    expect(codeSession.body).toEqual({
      status: 'authenticated',
      token: expect.any(String),
      expiresAt: expect.any(String),
      aal: 2,
      amr: ['pwd', 'otp'],
    });

    // The code that completed a sign-in is spent: it cannot complete another one.
    const replay = await login(loginName);
    const replayed = await post('/api/v1/auth/mfa', { mfaToken: replay.body.mfaToken, code: usedCode });
    expect(replayed.status).toBe(401);
    expect(replayed.body.error.code).toBe('code_already_used');

    // The MFA token was single-use.
    const reused = await post('/api/v1/auth/mfa', { mfaToken: step1.body.mfaToken, code: phone.wrongCode() });
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('mfa_token_invalid');

    // A recovery code signs in once; the count drops to 3; the same code is then refused.
    const recovery = enrollment.body.recoveryCodes[0] as string;
    const step2 = await login(loginName);
    const recoverySession = await post('/api/v1/auth/mfa', {
      mfaToken: step2.body.mfaToken,
      code: recovery.toLowerCase(),
    });
    expect(recoverySession.body.aal).toBe(2);
    expect(
      (await api('/api/v1/me', { token: recoverySession.body.token })).body.twoFactor.recoveryCodesRemaining,
    ).toBe(3);
    const step3 = await login(loginName);
    const again = await post('/api/v1/auth/mfa', { mfaToken: step3.body.mfaToken, code: recovery });
    expect(again.status).toBe(401);

    // Disabling needs a session that proved the second factor (the one that turned it on did).
    expect((await api('/api/v1/me', { token: firstSession })).body.session).toMatchObject({ aal: 2 });
    const disabled = await api('/api/v1/me/two-factor', { method: 'DELETE', token: codeSession.body.token });
    expect(disabled.status).toBe(204);

    // The member's other sessions end; the one that disabled stays; sign-in is password-only again.
    expect((await api('/api/v1/me', { token: firstSession })).status).toBe(401);
    expect((await api('/api/v1/me', { token: recoverySession.body.token })).status).toBe(401);
    expect((await api('/api/v1/me', { token: codeSession.body.token })).body.twoFactor.enabled).toBe(false);
    expect((await login(loginName)).body).toMatchObject({ status: 'authenticated', aal: 1 });
  });

  it('tests a code without signing in, and never accepts one code twice', async () => {
    const member = await memberWith2fa();
    const code = await member.app.nextCode();

    const first = await post('/api/v1/me/two-factor/test', { code }, member.session);
    const second = await post('/api/v1/me/two-factor/test', { code }, member.session);

    expect(first.body).toEqual({ valid: true });
    expect(second.body).toEqual({ valid: false });
  });

  it('checks a recovery code without using it up, and shows when in the status', async () => {
    const member = await memberWith2fa();
    const code = member.recoveryCodes[0];
    const check = (json: unknown, token?: string) =>
      post('/api/v1/me/two-factor/recovery-codes/check', json, token);
    const status = async () =>
      (await api('/api/v1/me/two-factor', { token: member.session })).body as TwoFactorStatus;
    expect(await status()).toMatchObject({
      recoveryCodesRemaining: 4,
      recoveryCodesIssuedAt: expect.any(String),
      recoveryCodesLastUsedAt: null,
      recoveryCodesLastCheckedAt: null,
      clockDriftSeconds: null,
    });

    expect((await check({ code })).status).toBe(401);
    expect((await check({ code: '123456' }, member.session)).status).toBe(400);
    const right = await check({ code: code.toLowerCase() }, member.session);
    const wrong = await check({ code: 'ZZZZ-ZZZZ-ZZZZ' }, member.session);

    expect([right.status, right.body]).toEqual([200, { valid: true }]);
    expect([wrong.status, wrong.body]).toEqual([200, { valid: false }]);
    expect(await status()).toMatchObject({
      recoveryCodesRemaining: 4,
      recoveryCodesLastUsedAt: null,
      recoveryCodesLastCheckedAt: expect.any(String),
    });
    // Still good for a sign-in, after which it checks as used.
    const mfa = await login(member.login);
    expect((await post('/api/v1/auth/mfa', { mfaToken: mfa.body.mfaToken, code })).body.aal).toBe(2);
    expect((await check({ code }, member.session)).body).toEqual({ valid: false });
    expect(await status()).toMatchObject({
      recoveryCodesRemaining: 3,
      recoveryCodesLastUsedAt: expect.any(String),
    });
    const audited = await eventually(async () => {
      const events = (await api('/api/v1/account/audit-events?limit=100', { token: member.session })).body
        .events as { type: string; details: { valid?: boolean } }[];
      const checked = events.filter((e) => e.type === 'recovery_codes.checked');
      return checked.length === 3 ? checked : undefined;
    });
    expect(audited.map((e) => e.details.valid).sort()).toEqual([false, false, true]);
  });

  it('backs off wrong recovery-code checks like wrong codes, refusing even a right one', async () => {
    const member = await memberWith2fa();
    const check = (code: string) =>
      post('/api/v1/me/two-factor/recovery-codes/check', { code }, member.session);
    const mfaToken = (await login(member.login)).body.mfaToken as string;
    const totp = await member.app.nextCode();
    for (let i = 0; i < 5; i += 1) expect((await check(`ZZZZ-ZZZZ-ZZZ${i}`)).body).toEqual({ valid: false });

    // The first wait is a second: both at once, right after the fifth.
    const [blocked, signIn] = await Promise.all([
      check(member.recoveryCodes[0]),
      post('/api/v1/auth/mfa', { mfaToken, code: totp }),
    ]);

    expect([blocked.status, blocked.body.error.code]).toEqual([429, 'too_many_attempts']);
    expect(signIn.status).toBe(429);
  });

  it('shows the drift of a phone a minute fast in the status, as its resync reported it', async () => {
    const member = await memberWith2fa();
    // Clear of a step boundary, so that the server counts the same steps as the phone.
    const intoStep = (Date.now() / 1000) % 30;
    if (intoStep > 20) await new Promise((resolve) => setTimeout(resolve, (31 - intoStep) * 1000));
    const shown = Date.now() / 1000;
    const fast = (steps: number) => totpReference(member.app.secret, shown + 60 + steps * 30);

    const resynced = await post(
      '/api/v1/me/two-factor/resync',
      { code1: fast(-1), code2: fast(0) },
      member.session,
    );

    expect(resynced.body).toEqual({ resynced: true, driftSeconds: 60 });
    expect((await api('/api/v1/me/two-factor', { token: member.session })).body.clockDriftSeconds).toBe(60);
  });

  it('issues fresh recovery codes from a session that proved the second factor (turning 2FA on counts)', async () => {
    const member = await memberWith2fa();
    const enrolling = await post('/api/v1/me/two-factor/recovery-codes', {}, member.session);
    expect(enrolling.status).toBe(201);

    const mfa = await login(member.login);
    const session = await post('/api/v1/auth/mfa', {
      mfaToken: mfa.body.mfaToken,
      code: await member.app.nextCode(),
    });
    const fresh = await post('/api/v1/me/two-factor/recovery-codes', {}, session.body.token);

    expect(fresh.status).toBe(201);
    expect(fresh.body.recoveryCodes).toHaveLength(4);
    const old = await login(member.login);
    expect(
      (await post('/api/v1/auth/mfa', { mfaToken: old.body.mfaToken, code: member.recoveryCodes[0] })).status,
    ).toBe(401);
  });

  it('accepts one valid code exactly once when 50 sign-ins race with it across both verifiers', async () => {
    const member = await memberWith2fa();
    const tokens: string[] = [];
    for (let i = 0; i < 50; i += 10) {
      const batch = await Promise.all(Array.from({ length: 10 }, () => login(member.login)));
      tokens.push(...batch.map((r) => r.body.mfaToken as string));
    }
    const code = await member.app.nextCode();

    const results = await Promise.all(tokens.map((mfaToken) => post('/api/v1/auth/mfa', { mfaToken, code })));

    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200).every((r) => r.status === 401 || r.status === 429)).toBe(
      true,
    );
    // Both otp-service processes took part.
    for (const otp of running.stack.otpServices) {
      const metrics = await (await fetch(`${otp.url}/metrics`)).text();
      expect(metrics).toMatch(/twofold_rpc_handled_total\{subject="[^"]*otp\.v1\.verify"[^}]*\} [1-9]/);
    }
  });

  it('burns one recovery code exactly once when 20 sign-ins race with it', async () => {
    const member = await memberWith2fa();
    const tokens = (await Promise.all(Array.from({ length: 20 }, () => login(member.login)))).map(
      (r) => r.body.mfaToken as string,
    );

    const results = await Promise.all(
      tokens.map((mfaToken) => post('/api/v1/auth/mfa', { mfaToken, code: member.recoveryCodes[2] })),
    );

    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect((await api('/api/v1/me', { token: member.session })).body.twoFactor.recoveryCodesRemaining).toBe(
      3,
    );
  });

  it('backs off with 429 and Retry-After after 5 wrong codes in a row', async () => {
    const member = await memberWith2fa();
    const mfa = await login(member.login);
    for (let i = 0; i < 5; i += 1) {
      expect(
        (await post('/api/v1/auth/mfa', { mfaToken: mfa.body.mfaToken, code: member.app.wrongCode() }))
          .status,
      ).toBe(401);
    }

    const blocked = await post('/api/v1/auth/mfa', {
      mfaToken: mfa.body.mfaToken,
      code: await member.app.nextCode(),
    });

    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('too_many_attempts');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('fails closed with 503 while no otp-service answers, and recovers', async () => {
    const member = await memberWith2fa();
    const mfa = await login(member.login);
    await Promise.all(running.stack.otpServices.map((s) => s.stop('SIGKILL')));

    const code = await member.app.nextCode();
    const blocked = await post('/api/v1/auth/mfa', { mfaToken: mfa.body.mfaToken, code });
    expect(blocked.status).toBe(503);
    expect(blocked.body.error.code).toBe('service_unavailable');
    expect((await login(member.login)).status).toBe(503);

    await Promise.all(running.stack.otpServices.map((s) => s.start()));
    // Nothing was checked while it was down, so the same code (still in its window) now works.
    const completed = await post('/api/v1/auth/mfa', { mfaToken: mfa.body.mfaToken, code });
    expect(completed.body.aal).toBe(2);
  });

  it('keeps secrets, codes and tokens out of every log line', async () => {
    const member = await memberWith2fa();
    const logs = running.logs();

    expect(logs).not.toContain(member.app.secret.toString('hex'));
    for (const code of member.recoveryCodes) expect(logs).not.toContain(code);
    expect(logs).not.toContain(member.session);
    expect(logs).not.toContain(PASSWORD);
  });
});
