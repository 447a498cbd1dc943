import { AuthenticatorApp, eventually, linkIn, type SmtpCatcher, startSmtpCatcher } from '@twofold/testing';
import { addMember, type ApiResponse, confirmAddress, type RunningStack, startStack } from './support';

jest.setTimeout(180_000);

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a brand new passphrase here';
const GENERIC_401 = {
  error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' },
};

/**
 * The attack suite: each `it` is an attack tried through the public HTTP API (REST and
 * /identity) against the joins between paths, asserting what the attacker gets and that
 * nothing changed for the victim. The gateway trusts one proxy hop here, so a test can speak
 * from several client addresses with X-Forwarded-For.
 */
describe('attacks at the joins', () => {
  let smtp: SmtpCatcher;
  let running: RunningStack;
  let api: RunningStack['api'];
  let n = 0;

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    running = await startStack('e2e_attacks', {
      env: {
        SMTP_URL: smtp.url,
        TRUSTED_PROXY_HOPS: '1',
        OTP_LOCK_AFTER_FAILURES: '10',
        // A back-off long enough that the tests' next request surely meets it.
        PASSWORD_BACKOFF_BASE_SECONDS: '30',
      },
    });
    api = running.api;
  });

  afterAll(async () => {
    await running?.close();
    await smtp?.close();
  });

  const from = (ip: string) => ({ 'x-forwarded-for': ip });
  const post = (path: string, json: unknown, init: { token?: string; ip?: string } = {}) =>
    api(path, {
      method: 'POST',
      json,
      ...(init.token ? { token: init.token } : {}),
      ...(init.ip ? { headers: from(init.ip) } : {}),
    });
  const login = (who: string, password = PASSWORD, ip?: string) =>
    post('/api/v1/auth/login', { login: who, password }, ip ? { ip } : {});
  const mfa = (mfaToken: string, code: string) => post('/api/v1/auth/mfa', { mfaToken, code });

  const passwordMethod = (who: string, password = PASSWORD) => ({
    user: { name: who, domain: { name: 'Default' }, password },
  });
  const totpMethod = (who: string, passcode: string) => ({
    user: { name: who, domain: { name: 'Default' }, passcode },
  });
  const projectScope = (project: string) => ({ project: { name: project, domain: { name: 'Default' } } });
  const tokens = (identity: unknown, options: { scope?: unknown; receipt?: string; ip?: string } = {}) =>
    api('/identity/v3/auth/tokens', {
      method: 'POST',
      json: { auth: { identity, ...(options.scope ? { scope: options.scope } : {}) } },
      headers: {
        ...(options.receipt ? { 'openstack-auth-receipt': options.receipt } : {}),
        ...(options.ip ? from(options.ip) : {}),
      },
    });

  interface Member {
    id: string;
    login: string;
    email: string;
    token: string;
    app?: AuthenticatorApp;
    recoveryCodes: string[];
  }

  const unique = (label: string) => {
    n += 1;
    return `${label}-${n}-${Date.now()}`;
  };

  /** Turns 2FA on for a signed-in member (the confirmation uses the app's current code). */
  const enrol = async (m: Member): Promise<void> => {
    const enrollment = await post(
      '/api/v1/me/two-factor/enrollment',
      { password: PASSWORD },
      { token: m.token },
    );
    expect(enrollment.status).toBe(201);
    m.app = new AuthenticatorApp(enrollment.body.secret as string);
    m.recoveryCodes = enrollment.body.recoveryCodes as string[];
    const confirmed = await post(
      '/api/v1/me/two-factor/enrollment/confirm',
      { code: await m.app.nextCode() },
      { token: m.token },
    );
    expect(confirmed.status).toBe(200);
  };

  /** A new account: its owner signed in (with 2FA when asked), the project name, and a way to add members. */
  const account = async (label: string, ownerTwoFactor = false) => {
    const base = unique(label);
    const created = await post('/api/v1/accounts', {
      accountName: `Attack ${base}`,
      login: base,
      email: `${base}@example.com`,
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    // Reset and resync links go only to a proven address.
    await confirmAddress(running, smtp, `${base}@example.com`);
    const owner: Member = {
      id: created.body.user.id as string,
      login: base,
      email: `${base}@example.com`,
      token: (await login(base)).body.token as string,
      recoveryCodes: [],
    };
    if (ownerTwoFactor) await enrol(owner);
    const addTeamMember = async (roles: string[], twoFactor = false): Promise<Member> => {
      const who = unique(`${label}-${roles.join('-')}`);
      // Invited (the invitation proves the address), or an ops member whose address is confirmed.
      const added = await addMember(
        running,
        owner.token,
        { login: who, email: `${who}@example.com`, password: PASSWORD, roles },
        { mails: () => smtp.mails, headers: from(`198.18.1.${1 + (n % 250)}`) },
      );
      expect(added.status).toBe(201);
      if (roles.every((r) => r === 'ops')) await confirmAddress(running, smtp, `${who}@example.com`);
      const m: Member = {
        id: added.body.id as string,
        login: who,
        email: `${who}@example.com`,
        token: (await login(who)).body.token as string,
        recoveryCodes: [],
      };
      if (twoFactor) await enrol(m);
      return m;
    };
    return { owner, project: `Attack ${base}`, addMember: addTeamMember };
  };

  /** A fresh step-up on the member's session, for the team's sensitive changes. */
  const stepUp = async (m: Member): Promise<void> => {
    const body = m.app ? { code: await m.app.nextCode() } : { password: PASSWORD };
    expect((await post('/api/v1/auth/step-up', body, { token: m.token })).status).toBe(200);
  };

  interface AuditEvent {
    type: string;
    subjectId: string;
    details: Record<string, unknown>;
  }
  const audit = async (token: string): Promise<AuditEvent[]> => {
    const res = await api('/api/v1/account/audit-events?limit=100', { token });
    expect(res.status).toBe(200);
    return res.body.events as AuditEvent[];
  };

  const statusCounts = (answers: ApiResponse[]) =>
    answers.reduce<Record<number, number>>(
      (counts, a) => ({ ...counts, [a.status]: (counts[a.status] ?? 0) + 1 }),
      {},
    );

  it('1. a second factor without the password gets the generic 401, no receipt, and its passcode is never checked', async () => {
    const { owner, project } = await account('totp-alone', true);
    const code = await owner.app!.nextCode();

    const alone = await tokens(
      { methods: ['totp'], totp: totpMethod(owner.login, code) },
      { scope: projectScope(project) },
    );

    expect(alone.status).toBe(401);
    expect(alone.body).toEqual(GENERIC_401);
    expect(alone.headers.get('openstack-auth-receipt')).toBeNull();
    // The code was not spent (its step was never accepted): the member's own sign-in takes it.
    const own = await tokens(
      {
        methods: ['password', 'totp'],
        password: passwordMethod(owner.login),
        totp: totpMethod(owner.login, code),
      },
      { scope: projectScope(project) },
    );
    expect(own.status).toBe(201);
    expect(own.body.token.methods).toEqual(['password', 'totp']);
    // A REST MFA token or receipt proves the password; nothing else reaches an aal2 session.
    const fake = await mfa('A'.repeat(65), owner.recoveryCodes[0]);
    expect(fake.status).toBe(401);
    expect(fake.body.error.code).toBe('mfa_token_invalid');
    expect((await audit(owner.token)).filter((e) => e.type === 'recovery_code.used')).toEqual([]);
  });

  it('2. guessing codes without the password touches no counter and tells no member apart', async () => {
    const { owner: withTwoFactor, addMember } = await account('guess', true);
    const without = await addMember(['billing']);
    const targets = [withTwoFactor.login, without.login, `nobody-${Date.now()}`];

    const answers: string[] = [];
    for (const target of targets) {
      for (const passcode of ['x', '000000', withTwoFactor.app!.wrongCode(), '123', 12345678]) {
        const res = await tokens({ methods: ['totp'], totp: totpMethod(target, passcode as string) });
        answers.push(
          `${res.status} ${JSON.stringify(res.body)} receipt:${res.headers.get('openstack-auth-receipt') !== null}`,
        );
      }
    }

    expect(new Set(answers)).toEqual(new Set([`401 ${JSON.stringify(GENERIC_401)} receipt:false`]));
    // Fifteen tries, none counted: the member signs in with the next code at once (no back-off).
    const first = await login(withTwoFactor.login);
    expect(first.body.status).toBe('mfa_required');
    const second = await mfa(first.body.mfaToken, await withTwoFactor.app!.nextCode());
    expect(second.status).toBe(200);
    expect((await audit(withTwoFactor.token)).filter((e) => e.type === 'two_factor.locked')).toEqual([]);
  });

  it('3. an admin cannot take over the owner, and nobody uses the team routes on their own member', async () => {
    const { owner, addMember } = await account('takeover', true);
    const admin = await addMember(['admin']);
    await stepUp(owner);
    const members = (path: string) => `/api/v1/account/members/${path}`;

    const onOwner = [
      await api(members(`${owner.id}/password`), {
        method: 'PUT',
        token: admin.token,
        json: { password: NEW_PASSWORD },
      }),
      await api(members(`${owner.id}/two-factor`), { method: 'DELETE', token: admin.token }),
      await api(members(owner.id), { method: 'PATCH', token: admin.token, json: { roles: ['billing'] } }),
      await api(members(owner.id), { method: 'DELETE', token: admin.token }),
    ];
    const onSelf = [
      await api(members(`${admin.id}/password`), {
        method: 'PUT',
        token: admin.token,
        json: { password: NEW_PASSWORD },
      }),
      await api(members(`${admin.id}/two-factor`), { method: 'DELETE', token: admin.token }),
      await api(members(admin.id), {
        method: 'PATCH',
        token: admin.token,
        json: { roles: ['admin', 'billing'] },
      }),
      await api(members(`${owner.id}/password`), {
        method: 'PUT',
        token: owner.token,
        json: { password: NEW_PASSWORD },
      }),
      await api(members(`${owner.id}/two-factor`), { method: 'DELETE', token: owner.token }),
    ];
    const raised = await api(members(admin.id), {
      method: 'PATCH',
      token: owner.token,
      json: { roles: ['owner'] },
    });

    expect(onOwner.map((r) => `${r.status} ${r.body?.error?.code}`)).toEqual(Array(4).fill('403 forbidden'));
    expect(onSelf.map((r) => `${r.status} ${r.body?.error?.code}`)).toEqual(
      Array(5).fill('403 use_me_route'),
    );
    expect(onSelf[0].body.error.message).toContain('/api/v1/me');
    expect(raised.status).toBe(400);
    // Nothing changed: the owner still signs in with the old password and still needs the code.
    const ownerLogin = await login(owner.login);
    expect(ownerLogin.body.status).toBe('mfa_required');
    const ownerSession = await mfa(ownerLogin.body.mfaToken, owner.recoveryCodes[0]);
    expect(ownerSession.status).toBe(200);
    expect((await login(admin.login, NEW_PASSWORD)).status).toBe(401);
    const me = await api('/api/v1/me', { token: ownerSession.body.token });
    expect(me.body.user.roles).toEqual(['owner']);
    const after = await api('/api/v1/account/members', { token: ownerSession.body.token });
    expect(after.body.members.find((m: { id: string }) => m.id === admin.id).roles).toEqual(['admin']);
    const events = await audit(ownerSession.body.token);
    expect(
      events.filter((e) => ['password.changed', 'two_factor.reset', 'member.roles_changed'].includes(e.type)),
    ).toEqual([]);
  });

  it('4. password guesses are limited per login: of 200 parallel wrong passwords exactly 5 are checked, the owner’s own address still gets in, and unknown logins answer the same', async () => {
    const { owner } = await account('guess-password');
    const unknown = `nobody-${Date.now()}`;

    const [onKnown, onUnknown] = await Promise.all(
      [owner.login, unknown].map((who) =>
        Promise.all(Array.from({ length: 200 }, (_, i) => login(who, `wrong password ${i}`, '203.0.113.7'))),
      ),
    );

    for (const answers of [onKnown, onUnknown]) {
      expect(statusCounts(answers)).toEqual({ 401: 5, 429: 195 });
      for (const refused of answers.filter((a) => a.status === 429)) {
        expect(refused.body.error.code).toBe('too_many_attempts');
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    }
    expect(onKnown.find((a) => a.status === 401)!.body).toEqual(
      onUnknown.find((a) => a.status === 401)!.body,
    );
    expect(onKnown.find((a) => a.status === 429)!.body).toEqual(
      onUnknown.find((a) => a.status === 429)!.body,
    );
    // The attacker's address waits, even with the right password; the owner's own address does not.
    expect((await login(owner.login, PASSWORD, '203.0.113.7')).status).toBe(429);
    const own = await login(owner.login, PASSWORD, '198.51.100.20');
    expect(own.status).toBe(200);
    expect(own.body.status).toBe('authenticated');
  });

  it('4b. REST, Keystone v3 and v2.0 share one password counter per login', async () => {
    const { owner, project } = await account('shared-counter');
    const ip = '203.0.113.8';
    const wrong = 'not the password at all';

    const answers = [
      await login(owner.login, wrong, ip),
      await login(owner.login, wrong, ip),
      await tokens({ methods: ['password'], password: passwordMethod(owner.login, wrong) }, { ip }),
      await tokens(
        { methods: ['password'], password: { user: { id: owner.id.replace(/-/g, ''), password: wrong } } },
        { ip },
      ),
      await api('/identity/v2.0/tokens', {
        method: 'POST',
        json: { auth: { passwordCredentials: { username: owner.login, password: wrong } } },
        headers: from(ip),
      }),
      await tokens(
        { methods: ['password'], password: passwordMethod(owner.login) },
        { scope: projectScope(project), ip },
      ),
    ];

    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429]);
    expect(answers[5].headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('4c. 50 failures in a row from many addresses lock the login; lock and unlock are audited and e-mailed; a new password set by an admin unlocks', async () => {
    const { owner, addMember } = await account('lock-password');
    // An ops-only member: the one whose password an admin sets (others choose their own).
    const victim = await addMember(['ops']);
    const unknown = `nobody-${Date.now()}`;
    const failures: ApiResponse[] = [];
    const unknownFailures: ApiResponse[] = [];
    for (let address = 1; address <= 10; address += 1) {
      for (let i = 0; i < 5; i += 1) {
        failures.push(await login(victim.login, `wrong ${address}.${i}`, `192.0.2.${address}`));
        unknownFailures.push(await login(unknown, `wrong ${address}.${i}`, `192.0.2.${address}`));
      }
    }
    const locked = await login(victim.login, PASSWORD, '198.51.100.99');
    const unknownLocked = await login(unknown, PASSWORD, '198.51.100.99');

    expect(statusCounts(failures)).toEqual({ 401: 50 });
    expect(statusCounts(unknownFailures)).toEqual({ 401: 50 });
    expect(locked.status).toBe(423);
    expect(locked.body.error.code).toBe('sign_in_locked');
    expect(unknownLocked.status).toBe(423);
    expect(unknownLocked.body).toEqual(locked.body);
    const lockEvent = await eventually(async () =>
      (await audit(owner.token)).find((e) => e.type === 'sign_in.locked' && e.subjectId === victim.id),
    );
    expect(lockEvent.details).toMatchObject({ failures: 50 });

    const reset = await api(`/api/v1/account/members/${victim.id}/password`, {
      method: 'PUT',
      token: owner.token,
      json: { password: NEW_PASSWORD },
    });
    expect(reset.status).toBe(204);
    expect((await login(victim.login, NEW_PASSWORD, '198.51.100.99')).status).toBe(200);
    await eventually(async () =>
      (await audit(owner.token)).find((e) => e.type === 'sign_in.unlocked' && e.subjectId === victim.id),
    );
    const subjects = await eventually(() => {
      const mine = smtp.mails
        .filter(
          (m) =>
            m.to.includes(victim.email) &&
            !m.subject.includes('You were added') &&
            // Signing in from another network is news of its own.
            !m.subject.includes('New sign-in'),
        )
        .map((m) => m.subject);
      return mine.length >= 3 ? mine.sort() : undefined;
    });
    expect(subjects).toEqual([
      '[Twofold] Sign-in is unlocked',
      '[Twofold] Sign-in was locked after repeated wrong passwords',
      '[Twofold] Your password was changed',
    ]);
  });

  it('5. a pending sign-in or receipt of a removed member completes nothing', async () => {
    const { owner, project, addMember } = await account('removed', true);
    const admin = await addMember(['admin'], true);
    await stepUp(owner);
    const pending = await login(admin.login);
    const receipt = await tokens(
      { methods: ['password'], password: passwordMethod(admin.login) },
      { scope: projectScope(project) },
    );
    expect(pending.body.status).toBe('mfa_required');
    expect(receipt.status).toBe(401);

    expect(
      (await api(`/api/v1/account/members/${admin.id}`, { method: 'DELETE', token: owner.token })).status,
    ).toBe(204);
    const completed = await mfa(pending.body.mfaToken, admin.recoveryCodes[0]);
    const receiptCompleted = await tokens(
      { methods: ['totp'], totp: totpMethod(admin.login, admin.recoveryCodes[1]) },
      { receipt: receipt.headers.get('openstack-auth-receipt')!, scope: projectScope(project) },
    );

    expect(completed.status).toBe(401);
    expect(completed.body.error.code).toBe('mfa_token_invalid');
    expect(receiptCompleted.status).toBe(401);
    expect(receiptCompleted.headers.get('x-subject-token')).toBeNull();
  });

  it('5b. a pending sign-in started before a role change or a password change completes nothing; tokens carry the current roles', async () => {
    const { owner, project, addMember } = await account('stale-roles', true);
    const admin = await addMember(['admin'], true);
    await stepUp(owner);
    const pendingRest = await login(admin.login);
    const pendingKeystone = await tokens(
      { methods: ['password'], password: passwordMethod(admin.login) },
      { scope: projectScope(project) },
    );

    const demoted = await api(`/api/v1/account/members/${admin.id}`, {
      method: 'PATCH',
      token: owner.token,
      json: { roles: ['billing'] },
    });
    expect(demoted.status).toBe(200);
    const viaRest = await mfa(pendingRest.body.mfaToken, admin.recoveryCodes[0]);
    const viaKeystone = await tokens(
      { methods: ['totp'], totp: totpMethod(admin.login, admin.recoveryCodes[1]) },
      { receipt: pendingKeystone.headers.get('openstack-auth-receipt')!, scope: projectScope(project) },
    );
    expect(viaRest.status).toBe(401);
    expect(viaKeystone.status).toBe(401);

    // Signing in again gives the roles the member has now.
    const fresh = await mfa((await login(admin.login)).body.mfaToken, admin.recoveryCodes[2]);
    expect(fresh.status).toBe(200);
    expect((await api('/api/v1/me', { token: fresh.body.token })).body.user.roles).toEqual(['billing']);
    expect((await api('/api/v1/account/members', { token: fresh.body.token })).status).toBe(403);

    // An admin's sign-out everywhere ends the sign-ins that were waiting for their second factor.
    const waiting = await login(admin.login);
    expect(
      (await api(`/api/v1/account/members/${admin.id}/sessions`, { method: 'DELETE', token: owner.token }))
        .status,
    ).toBe(204);
    expect((await mfa(waiting.body.mfaToken, admin.recoveryCodes[3])).status).toBe(401);
    expect((await api('/api/v1/me', { token: fresh.body.token })).status).toBe(401);
  });

  it('5c. a restricted (enrol-only) session is refused by every Keystone call', async () => {
    // The owner has 2FA: the policy restricts the others, at once, and not the owner.
    const { owner, addMember } = await account('restricted', true);
    const admin = await addMember(['admin']);
    await stepUp(owner);
    expect(
      (
        await api('/api/v1/account/policy', {
          method: 'PUT',
          token: owner.token,
          json: { requireTwoFactor: true },
        })
      ).status,
    ).toBe(200);
    const restricted = (await login(admin.login)).body.token as string;
    expect((await api('/api/v1/me', { token: restricted })).body.session.restricted).toBe(true);

    const asSubject = await api('/identity/v3/auth/tokens', {
      headers: { 'x-auth-token': owner.token, 'x-subject-token': restricted },
    });
    const asCaller = await api('/identity/v3/auth/tokens', {
      headers: { 'x-auth-token': restricted, 'x-subject-token': restricted },
    });
    const projects = await api('/identity/v3/auth/projects', { headers: { 'x-auth-token': restricted } });
    const check = await api('/identity/v3/auth/tokens', {
      method: 'HEAD',
      headers: { 'x-auth-token': owner.token, 'x-subject-token': restricted },
    });

    expect(asSubject.status).toBe(404);
    expect(asSubject.body.token).toBeUndefined();
    expect(asCaller.status).toBe(401);
    expect(projects.status).toBe(401);
    expect(check.status).toBe(404);
  });

  it('6. wrong recovery codes during a back-off count toward the lock; the lock records its failures; a right recovery code is the way out', async () => {
    const { owner } = await account('recovery-backoff', true);
    const pending = (await login(owner.login)).body.mfaToken as string;
    const wrongRecovery = (i: number) =>
      `ZZZZ-ZZZZ-ZZ${String(i).padStart(2, '0')}`.replace(/\d/g, (d) => 'ABCDEFGHJK'[Number(d)]);

    const totpAnswers: number[] = [];
    for (let i = 0; i < 5; i += 1) totpAnswers.push((await mfa(pending, owner.app!.wrongCode())).status);
    const backingOff = await mfa(pending, owner.app!.wrongCode());
    const recoveryAnswers: number[] = [];
    for (let i = 0; i < 5; i += 1) recoveryAnswers.push((await mfa(pending, wrongRecovery(i))).status);
    const afterLock = await mfa(pending, await owner.app!.nextCode());

    expect(totpAnswers).toEqual([401, 401, 401, 401, 401]);
    expect(backingOff.status).toBe(429);
    expect(recoveryAnswers).toEqual([401, 401, 401, 401, 423]);
    expect(afterLock.status).toBe(423);
    const lock = await eventually(async () =>
      (await audit(owner.token)).find((e) => e.type === 'two_factor.locked'),
    );
    expect(lock.details).toMatchObject({ failures: 10 });
    const wayOut = await mfa(pending, owner.recoveryCodes[0]);
    expect(wayOut.status).toBe(200);
    expect(wayOut.body.aal).toBe(2);
  });

  it('7. a bodiless request with a JSON content type is accepted where the route takes no body', async () => {
    const { owner } = await account('bodiless', true);
    const json = { 'content-type': 'application/json' };
    const strong = (await mfa((await login(owner.login)).body.mfaToken, owner.recoveryCodes[0])).body
      .token as string;
    const keystoneToken = (
      await tokens({
        methods: ['password', 'totp'],
        password: passwordMethod(owner.login),
        totp: totpMethod(owner.login, owner.recoveryCodes[1]),
      })
    ).headers.get('x-subject-token')!;

    const revoke = await api('/identity/v3/auth/tokens', {
      method: 'DELETE',
      headers: { ...json, 'x-auth-token': keystoneToken, 'x-subject-token': keystoneToken },
    });
    const disable = await api('/api/v1/me/two-factor', { method: 'DELETE', token: strong, headers: json });
    const logout = await api('/api/v1/auth/logout', { method: 'POST', token: strong, headers: json });

    expect([revoke.status, disable.status, logout.status]).toEqual([204, 204, 204]);
    expect((await api('/api/v1/me', { token: strong })).status).toBe(401);
  });

  it('8. the second factor over the address limit is refused with 429 and spends nothing: the same MFA token and code then sign in', async () => {
    const { owner } = await account('mfa-limit', true);
    const mfaToken = (await login(owner.login)).body.mfaToken as string;
    const code = await owner.app!.nextCode();
    // The address's one-minute window (1200 by default) is filled with made-up MFA tokens, well
    // away from the window's end.
    while (Date.now() % 60_000 > 35_000) await new Promise((r) => setTimeout(r, 500));
    const attacker = '198.51.100.80';
    let limited = 0;
    for (let sent = 0; sent < 1400 && limited === 0; sent += 100) {
      const answers = await Promise.all(
        Array.from({ length: 100 }, () =>
          post('/api/v1/auth/mfa', { mfaToken: 'A'.repeat(65), code: '123456' }, { ip: attacker }),
        ),
      );
      limited = answers.filter((a) => a.status === 429).length;
    }
    expect(limited).toBeGreaterThan(0);

    const refused = await post('/api/v1/auth/mfa', { mfaToken, code }, { ip: attacker });
    const completed = await post('/api/v1/auth/mfa', { mfaToken, code }, { ip: '198.51.100.81' });

    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('too_many_attempts');
    expect(completed.status).toBe(200);
    expect(completed.body.aal).toBe(2);
  });

  it('race: 20 parallel completions of one pending sign-in with different codes give at most one session', async () => {
    const { owner } = await account('race-mfa', true);
    const pending = (await login(owner.login)).body.mfaToken as string;
    const codes = [owner.recoveryCodes[0], ...Array.from({ length: 19 }, () => owner.app!.wrongCode())];

    const answers = await Promise.all(codes.map((code) => mfa(pending, code)));
    const same = await Promise.all(
      Array.from({ length: 20 }, async () =>
        mfa((await login(owner.login)).body.mfaToken, owner.recoveryCodes[1]),
      ),
    );

    expect(answers.filter((a) => a.status === 200).length).toBeLessThanOrEqual(1);
    expect(same.filter((a) => a.status === 200)).toHaveLength(1);
  });

  it('HTTP manners: answers that carry a token, a secret or recovery codes are not stored by caches', async () => {
    const base = unique('no-store');
    await post('/api/v1/accounts', {
      accountName: `Attack ${base}`,
      login: base,
      email: `${base}@example.com`,
      password: PASSWORD,
    });
    const signedIn = await login(base);
    const enrollment = await post(
      '/api/v1/me/two-factor/enrollment',
      { password: PASSWORD },
      { token: signedIn.body.token },
    );
    const keystone = await tokens({ methods: ['password'], password: passwordMethod(base) });
    const validated = await api('/identity/v3/auth/tokens', {
      headers: { 'x-auth-token': signedIn.body.token, 'x-subject-token': signedIn.body.token },
    });
    const v2 = await api('/identity/v2.0/tokens', {
      method: 'POST',
      json: { auth: { passwordCredentials: { username: base, password: PASSWORD } } },
    });

    for (const res of [signedIn, enrollment, keystone, validated, v2]) {
      expect(res.status).toBeLessThan(300);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('HTTP manners: the gateway’s /metrics is not served on its public port', async () => {
    const res = await api('/metrics');

    expect(res.status).toBe(404);
    const metricsUrl = `http://127.0.0.1:${running.stack.gateways[0].options.env.GATEWAY_METRICS_PORT}/metrics`;
    const metrics = await fetch(metricsUrl);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('twofold_http_request_duration_seconds');
  });

  it('a recovery code typed with typographic dashes is accepted', async () => {
    const { owner } = await account('dashes', true);
    const typed = owner.recoveryCodes[0].replace(/-/g, '\u2013');

    const res = await mfa((await login(owner.login)).body.mfaToken, typed);

    expect(res.status).toBe(200);
  });

  it('a scope error does not burn the passcode', async () => {
    const { owner, project } = await account('scope-first', true);
    const code = await owner.app!.nextCode();
    const identity = {
      methods: ['password', 'totp'],
      password: passwordMethod(owner.login),
      totp: totpMethod(owner.login, code),
    };

    const wrongProject = await tokens(identity, { scope: projectScope(`not ${project}`) });
    const rightProject = await tokens(identity, { scope: projectScope(project) });

    expect(wrongProject.status).toBe(401);
    expect(rightProject.status).toBe(201);
  });

  interface SessionRow {
    id: string;
    current: boolean;
    device: string;
    via: string;
    aal: number;
  }
  const sessionsOf = async (token: string): Promise<SessionRow[]> => {
    const res = await api('/api/v1/me/sessions', { token });
    expect(res.status).toBe(200);
    return res.body.sessions as SessionRow[];
  };
  const works = async (token: string) => (await api('/api/v1/me', { token })).status === 200;

  it('9. a session id of another member ends nothing: not through one’s own sessions, nor the team routes of an admin or another account', async () => {
    const { owner, addMember } = await account('sessions-id');
    const victim = await addMember(['billing']);
    const admin = await addMember(['admin']);
    const { owner: stranger } = await account('sessions-stranger');
    const [victimSession] = await sessionsOf(victim.token);
    const [ownerSession] = await sessionsOf(owner.token);

    // A leaked session id is not a way in: each member's ids name only its own sessions.
    const viaOwn = await api(`/api/v1/me/sessions/${victimSession.id}`, {
      method: 'DELETE',
      token: admin.token,
    });
    expect(viaOwn.status).toBe(404);
    // The team routes: an admin may not look at or end the owner's sessions, another account's
    // owner cannot reach this account's members, and nobody aims them at themselves.
    const adminOnOwner = await api(`/api/v1/account/members/${owner.id}/sessions`, { token: admin.token });
    expect([adminOnOwner.status, adminOnOwner.body.error.code]).toEqual([403, 'forbidden']);
    const adminEndsOwner = await api(`/api/v1/account/members/${owner.id}/sessions`, {
      method: 'DELETE',
      token: admin.token,
    });
    expect([adminEndsOwner.status, adminEndsOwner.body.error.code]).toEqual([403, 'forbidden']);
    const strangerOnVictim = await api(`/api/v1/account/members/${victim.id}/sessions`, {
      method: 'DELETE',
      token: stranger.token,
    });
    expect(strangerOnVictim.status).toBe(404);
    const onSelf = await api(`/api/v1/account/members/${admin.id}/sessions`, { token: admin.token });
    expect([onSelf.status, onSelf.body.error.code]).toEqual([403, 'use_me_route']);
    // A billing member is no manager.
    const billingLooks = await api(`/api/v1/account/members/${admin.id}/sessions`, { token: victim.token });
    expect(billingLooks.status).toBe(403);

    expect(await works(victim.token)).toBe(true);
    expect(await works(owner.token)).toBe(true);
    expect((await sessionsOf(owner.token)).map((row) => row.id)).toContain(ownerSession.id);
    expect(JSON.stringify(await sessionsOf(victim.token))).not.toContain(victim.token);
  });

  it('10. signing out everywhere else ends the other sessions, Keystone tokens and pending sign-ins too, and keeps this one', async () => {
    const { owner, project } = await account('sessions-everywhere', true);
    const otherBrowser = await login(owner.login);
    const aal2 = await mfa(otherBrowser.body.mfaToken as string, owner.recoveryCodes[0]);
    expect(aal2.status).toBe(200);
    const pending = (await login(owner.login)).body.mfaToken as string;
    const keystone = await tokens(
      {
        methods: ['password', 'totp'],
        password: passwordMethod(owner.login),
        totp: totpMethod(owner.login, await owner.app!.nextCode()),
      },
      { scope: projectScope(project) },
    );
    expect(keystone.status).toBe(201);
    const keystoneToken = keystone.headers.get('x-subject-token')!;
    const listed = await sessionsOf(owner.token);
    expect(listed.map((row) => row.via).sort()).toEqual(['api', 'api', 'keystone']);
    expect(listed.filter((row) => row.current)).toHaveLength(1);

    const ended = await api('/api/v1/me/sessions', { method: 'DELETE', token: owner.token });
    expect(ended.status).toBe(204);

    expect(await works(owner.token)).toBe(true);
    expect(await works(aal2.body.token as string)).toBe(false);
    const validated = await api('/identity/v3/auth/tokens', {
      headers: { 'x-auth-token': owner.token, 'x-subject-token': keystoneToken },
    });
    expect(validated.status).toBe(404);
    const late = await mfa(pending, owner.recoveryCodes[1]);
    expect([late.status, late.body.error.code]).toEqual([401, 'mfa_token_invalid']);
    expect((await sessionsOf(owner.token)).map((row) => row.current)).toEqual([true]);
    await eventually(async () =>
      (await audit(owner.token)).find((e) => e.type === 'sessions.ended' && e.subjectId === owner.id),
    );
  });

  it('11. an admin signs a member out everywhere: every session ends, the member is told, and the admin stays signed in', async () => {
    const { owner, addMember } = await account('sessions-admin');
    const member = await addMember(['ops']);
    const secondSession = (await login(member.login)).body.token as string;
    expect(
      (await api(`/api/v1/account/members/${member.id}/sessions`, { token: owner.token })).body.sessions,
    ).toHaveLength(2);

    const ended = await api(`/api/v1/account/members/${member.id}/sessions`, {
      method: 'DELETE',
      token: owner.token,
    });
    expect(ended.status).toBe(204);

    expect(await works(member.token)).toBe(false);
    expect(await works(secondSession)).toBe(false);
    expect(await works(owner.token)).toBe(true);
    expect(
      (await api(`/api/v1/account/members/${member.id}/sessions`, { token: owner.token })).body.sessions,
    ).toEqual([]);
    // Signing in again works: ending sessions is not a lock.
    expect((await login(member.login)).status).toBe(200);
    await eventually(() =>
      smtp.mails.find(
        (m) => m.to.includes(member.email) && m.subject === '[Twofold] An admin signed you out everywhere',
      ),
    );
  });

  it('16. a code relayed from a phishing page is refused, audited with both addresses and e-mailed once', async () => {
    const { owner } = await account('relay', true);
    const code = await owner.app!.nextCode();
    const victim = await login(owner.login, PASSWORD, '198.51.100.20');
    const signedIn = await post(
      '/api/v1/auth/mfa',
      { mfaToken: victim.body.mfaToken, code },
      { ip: '198.51.100.20' },
    );
    expect(signedIn.status).toBe(200);

    // The phisher has the password and the code the victim just typed, from elsewhere.
    for (const ip of ['203.0.113.50', '203.0.113.51']) {
      const phisher = await login(owner.login, PASSWORD, ip);
      const relayed = await post('/api/v1/auth/mfa', { mfaToken: phisher.body.mfaToken, code }, { ip });
      expect([relayed.status, relayed.body.error.code]).toEqual([401, 'code_already_used']);
    }

    const reported = await eventually(async () => {
      const found = (await audit(owner.token)).filter((e) => e.type === 'second_factor.replay_detected');
      return found.length > 0 ? found : undefined;
    });
    expect(reported.map((e) => e.details)).toEqual([
      { acceptedFrom: '198.51.100.20', replayedFrom: '203.0.113.50' },
    ]);
    const mails = await eventually(() => {
      const found = smtp.mails.filter(
        (m) =>
          m.to.includes(owner.email) && m.subject === '[Twofold] Someone entered a code you had just used',
      );
      return found.length > 0 ? found : undefined;
    });
    expect(mails).toHaveLength(1);
    expect(mails[0].body).toContain('203.0.113.50');
    // …with the way to lock the phisher out at once.
    expect(linkIn(mails[0], 'not-me')).toBeDefined();
  });
  /** The link of the newest e-mail to `email` that carries one to `route`. */
  const linkTo = (email: string, route: 'password-reset' | 'not-me' | 'resync', after = 0) =>
    eventually(
      () => {
        const found = smtp.mails.filter((m) => m.to.includes(email) && linkIn(m, route));
        return found.length > after ? linkIn(found[found.length - 1], route) : undefined;
      },
      20_000,
      `an e-mail to ${email} with a ${route} link`,
    );
  const linksSent = (email: string, route: 'password-reset' | 'not-me' | 'resync') =>
    smtp.mails.filter((m) => m.to.includes(email) && linkIn(m, route)).length;
  /** An address of its own for each call, so that the per-address limits stay out of the way. */
  const anyIp = () => `198.18.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
  const askReset = async (who: { login: string; email: string }) => {
    const before = linksSent(who.email, 'password-reset');
    expect((await post('/api/v1/auth/password-reset', { login: who.login }, { ip: anyIp() })).status).toBe(
      202,
    );
    return (await linkTo(who.email, 'password-reset', before)).token;
  };
  const confirmReset = (token: string, newPassword = NEW_PASSWORD, code?: string) =>
    post(
      '/api/v1/auth/password-reset/confirm',
      { token, newPassword, ...(code ? { code } : {}) },
      { ip: anyIp() },
    );

  it('17. a reset link alone does not take a member with 2FA: no code, another member’s code and wrong codes change nothing, and five wrong codes kill the link without holding the member back', async () => {
    const { owner, addMember } = await account('mailbox-thief', true);
    const other = await addMember(['admin'], true);
    const token = await askReset(owner);

    const noCode = await confirmReset(token);
    const othersCode = await confirmReset(token, NEW_PASSWORD, await other.app!.nextCode());
    expect([noCode.status, noCode.body.error.code]).toEqual([401, 'second_factor_required']);
    expect([othersCode.status, othersCode.body.error.code]).toEqual([401, 'invalid_code']);
    const answers: ApiResponse[] = [];
    for (let i = 0; i < 5; i += 1)
      answers.push(await confirmReset(token, NEW_PASSWORD, owner.app!.wrongCode()));

    // Five wrong codes (the other member's among them) and the link is dead, the right code too.
    expect(answers.map((a) => `${a.status} ${a.body.error.code}`)).toEqual([
      '401 invalid_code',
      '401 invalid_code',
      '401 invalid_code',
      '401 invalid_code',
      '400 link_invalid',
    ]);
    // …and the member, who has the phone, was never held back.
    const pending = await login(owner.login);
    expect(pending.body.status).toBe('mfa_required');
    expect((await mfa(pending.body.mfaToken, await owner.app!.nextCode())).status).toBe(200);
    // Nothing changed: the old password and the owner's session stand.
    expect((await api('/api/v1/me', { token: owner.token })).status).toBe(200);
    expect((await login(owner.login, NEW_PASSWORD)).status).toBe(401);
  });

  it('18. a reset link is used once: of 10 parallel confirmations exactly one sets its password', async () => {
    const { addMember } = await account('reset-race');
    const m = await addMember(['billing']);
    const token = await askReset(m);

    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => confirmReset(token, `${NEW_PASSWORD} ${i}`)),
    );

    expect(statusCounts(answers)).toEqual({ 204: 1, 400: 9 });
    const winner = answers.findIndex((a) => a.status === 204);
    expect((await login(m.login, `${NEW_PASSWORD} ${winner}`)).status).toBe(200);
    for (const [i] of answers.entries())
      if (i !== winner) expect((await login(m.login, `${NEW_PASSWORD} ${i}`, anyIp())).status).toBe(401);
  });

  it('19. a reset link dies with a newer password and with its member, and is no “this wasn’t me” link (nor the reverse)', async () => {
    const { owner, addMember } = await account('stale-links', false);
    // An ops-only member: the one whose password an admin sets (others choose their own).
    const m = await addMember(['ops']);

    const beforeAdmin = await askReset(m);
    expect(
      (
        await api(`/api/v1/account/members/${m.id}/password`, {
          method: 'PUT',
          token: owner.token,
          json: { password: 'set by the admin here' },
        })
      ).status,
    ).toBe(204);
    const afterAdmin = await confirmReset(beforeAdmin);
    expect([afterAdmin.status, afterAdmin.body.error.code]).toEqual([400, 'link_invalid']);
    expect((await login(m.login, 'set by the admin here')).status).toBe(200);

    // The admin's change was e-mailed with a "this wasn't me" link: each link does only its own job.
    const notMe = (await linkTo(m.email, 'not-me')).token;
    const resetToken = await askReset(m);
    const crossedReset = await confirmReset(notMe);
    const crossedNotMe = await post('/api/v1/security/not-me', { token: resetToken }, { ip: anyIp() });
    expect([crossedReset.status, crossedReset.body.error.code]).toEqual([400, 'link_invalid']);
    expect([crossedNotMe.status, crossedNotMe.body.error.code]).toEqual([400, 'link_invalid']);
    expect((await login(m.login, 'set by the admin here')).status).toBe(200);

    expect(
      (await api(`/api/v1/account/members/${m.id}`, { method: 'DELETE', token: owner.token })).status,
    ).toBe(204);
    const afterRemoval = await confirmReset(resetToken);
    const notMeAfterRemoval = await post('/api/v1/security/not-me', { token: notMe }, { ip: anyIp() });
    expect([afterRemoval.status, afterRemoval.body.error.code]).toEqual([400, 'link_invalid']);
    expect([notMeAfterRemoval.status, notMeAfterRemoval.body.error.code]).toEqual([400, 'link_invalid']);
  });

  it('20. asking for a reset tells nobody who is a member: a member, an unknown login and a login past its hourly limit get the same answer', async () => {
    const { addMember } = await account('enumerate');
    const m = await addMember(['billing']);
    const ask = (who: string, ip: string) => post('/api/v1/auth/password-reset', { login: who }, { ip });
    const seen = (res: ApiResponse) =>
      JSON.stringify([
        res.status,
        res.body,
        res.headers.get('content-type'),
        res.headers.get('cache-control'),
      ]);

    const answers = [
      await ask(m.login, '192.0.2.61'),
      await ask(`nobody-${Date.now()}`, '192.0.2.62'),
      await ask(m.login, '192.0.2.63'),
      await ask(m.login, '192.0.2.64'),
      // Over the member's 3 e-mails an hour: still the same answer, and no fourth e-mail.
      await ask(m.login, '192.0.2.65'),
    ];

    expect(new Set(answers.map(seen)).size).toBe(1);
    expect(answers[0].status).toBe(202);
    await eventually(() => (linksSent(m.email, 'password-reset') >= 3 ? true : undefined), 20_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(linksSent(m.email, 'password-reset')).toBe(3);
    // One address spraying logins is held to 10 requests a minute, whoever it names.
    const sprayed: ApiResponse[] = [];
    for (let i = 0; i < 11; i += 1) sprayed.push(await ask(`spray-${i}-${Date.now()}`, '192.0.2.66'));
    expect(sprayed.map((a) => a.status)).toEqual([...Array<number>(10).fill(202), 429]);
  });

  it('21. “this wasn’t me” ends what a phisher holds — a pending sign-in, a Keystone receipt, a session — and the password is no way back in, on REST, Keystone v3 or v2.0', async () => {
    const { owner, project } = await account('phished', true);
    const phisherIp = '203.0.113.90';
    const pending = await login(owner.login, PASSWORD, phisherIp);
    const receipt = await tokens(
      { methods: ['password'], password: passwordMethod(owner.login) },
      { scope: projectScope(project), ip: phisherIp },
    );
    expect(pending.body.status).toBe('mfa_required');
    expect(receipt.headers.get('openstack-auth-receipt')).not.toBeNull();

    const notMe = (await linkTo(owner.email, 'not-me')).token;
    expect((await post('/api/v1/security/not-me', { token: notMe }, { ip: anyIp() })).status).toBe(200);

    const completed = await mfa(pending.body.mfaToken, owner.recoveryCodes[0]);
    const receiptCompleted = await tokens(
      { methods: ['totp'], totp: totpMethod(owner.login, owner.recoveryCodes[1]) },
      { receipt: receipt.headers.get('openstack-auth-receipt')!, scope: projectScope(project) },
    );
    expect([completed.status, completed.body.error.code]).toEqual([401, 'mfa_token_invalid']);
    expect(receiptCompleted.status).toBe(401);
    expect((await api('/api/v1/me', { token: owner.token })).status).toBe(401);
    const rest = await login(owner.login, PASSWORD, phisherIp);
    expect([rest.status, rest.body.error.code]).toEqual([403, 'password_reset_required']);
    const keystone = await tokens(
      {
        methods: ['password', 'totp'],
        password: passwordMethod(owner.login),
        totp: totpMethod(owner.login, owner.recoveryCodes[2]),
      },
      { scope: projectScope(project), ip: phisherIp },
    );
    expect(keystone.status).toBe(401);
    const v2 = await api('/identity/v2.0/tokens', {
      method: 'POST',
      json: { auth: { passwordCredentials: { username: owner.login, password: PASSWORD } } },
      headers: from(phisherIp),
    });
    expect(v2.status).toBe(401);
    const reset = await confirmReset(await askReset(owner), NEW_PASSWORD, owner.recoveryCodes[0]);
    expect(reset.status).toBe(204);
    // The e-mail reported was the one telling of 2FA turned on: that authenticator went with the
    // report (attack 30), so the new password alone signs in, to turn 2FA on again.
    const back = await login(owner.login, NEW_PASSWORD);
    expect(back.body.status).toBe('authenticated');
  });
  it('22. a resync link without the phone realigns nothing: five guesses kill the link, the member is not held back, and a spent link is dead', async () => {
    const { owner, addMember } = await account('resync-thief', true);
    const m = await addMember(['billing'], true);
    await stepUp(owner);
    const before = linksSent(m.email, 'resync');
    expect(
      (await post(`/api/v1/account/members/${m.id}/two-factor/resync-link`, {}, { token: owner.token }))
        .status,
    ).toBe(202);
    const { token } = await linkTo(m.email, 'resync', before);
    const guess = (code1: string, code2: string) =>
      post('/api/v1/security/two-factor-resync', { token, code1, code2 }, { ip: anyIp() });

    const answers: ApiResponse[] = [];
    for (let i = 0; i < 6; i += 1) answers.push(await guess(m.app!.wrongCode(), m.app!.wrongCode()));

    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 400]);
    expect(answers[5].body.error.code).toBe('link_invalid');
    // The guesses were the link's, not the member's: its own phone signs in at once.
    const pending = await login(m.login);
    expect((await mfa(pending.body.mfaToken, await m.app!.nextCode())).status).toBe(200);
    // Nobody else's link opens this member's resync, and a made-up one opens nothing.
    const forged = await post(
      '/api/v1/security/two-factor-resync',
      { token: 'A'.repeat(43), code1: '123456', code2: '654321' },
      { ip: anyIp() },
    );
    expect([forged.status, forged.body.error.code]).toEqual([400, 'link_invalid']);
  });

  it('23. the 2FA policy cannot be sidestepped: not by turning 2FA off, nor through the team routes on oneself, nor by the admin of another account', async () => {
    const { owner, addMember } = await account('policy-holds', true);
    const admin = await addMember(['admin'], true);
    const stranger = await account('policy-stranger', true);
    await stepUp(owner);
    expect(
      (
        await api('/api/v1/account/policy', {
          method: 'PUT',
          token: owner.token,
          json: { requireTwoFactor: true, gracePeriodDays: 30 },
        })
      ).status,
    ).toBe(200);
    const strong = await mfa((await login(admin.login)).body.mfaToken, admin.recoveryCodes[0]);

    const off = await api('/api/v1/me/two-factor', { method: 'DELETE', token: strong.body.token });
    const self = await api(`/api/v1/account/members/${admin.id}/two-factor`, {
      method: 'DELETE',
      token: strong.body.token,
    });
    const foreign = await api(`/api/v1/account/members/${admin.id}/two-factor`, {
      method: 'DELETE',
      token: stranger.owner.token,
    });

    expect([off.status, off.body.error.code]).toEqual([409, 'two_factor_required_by_policy']);
    expect([self.status, self.body.error.code]).toEqual([403, 'use_me_route']);
    expect(foreign.status).toBe(404);
    expect((await api('/api/v1/me/two-factor', { token: strong.body.token })).body.enabled).toBe(true);
    expect((await login(admin.login)).body.status).toBe('mfa_required');
  });
});

/**
 * Attacks on the sensitive changes with a short step-up window (2 s), so that a session can be
 * "old" within a test: a stolen session is not enough to weaken the account.
 */
describe('attacks on the sensitive changes (step-up)', () => {
  let running: RunningStack;
  let api: RunningStack['api'];
  const MAX_AGE_SECONDS = 2;

  beforeAll(async () => {
    running = await startStack('e2e_step_up', { env: { STEP_UP_MAX_AGE_SECONDS: String(MAX_AGE_SECONDS) } });
    api = running.api;
  });

  afterAll(async () => {
    await running?.close();
  });

  const post = (path: string, json: unknown, token?: string) =>
    api(path, { method: 'POST', json, ...(token ? { token } : {}) });
  const aged = () => new Promise((r) => setTimeout(r, MAX_AGE_SECONDS * 1000 + 300));

  /** A new account's owner, signed in; with 2FA on, the aal2 session and the recovery codes. */
  const owner = async (label: string, twoFactor: boolean) => {
    const login = `${label}-${Date.now()}`;
    expect(
      (
        await post('/api/v1/accounts', {
          accountName: `Step-up ${login}`,
          login,
          email: `${login}@example.com`,
          password: PASSWORD,
        })
      ).status,
    ).toBe(201);
    const first = (await post('/api/v1/auth/login', { login, password: PASSWORD })).body.token as string;
    if (!twoFactor) return { login, token: first, recoveryCodes: [] as string[], id: '' };
    const enrollment = await post('/api/v1/me/two-factor/enrollment', { password: PASSWORD }, first);
    const app = new AuthenticatorApp(enrollment.body.secret as string);
    expect(
      (await post('/api/v1/me/two-factor/enrollment/confirm', { code: await app.nextCode() }, first)).status,
    ).toBe(200);
    const step1 = await post('/api/v1/auth/login', { login, password: PASSWORD });
    const recoveryCodes = enrollment.body.recoveryCodes as string[];
    const done = await post('/api/v1/auth/mfa', { mfaToken: step1.body.mfaToken, code: recoveryCodes[0] });
    expect(done.status).toBe(200);
    const me = await api('/api/v1/me', { token: done.body.token as string });
    return {
      login,
      token: done.body.token as string,
      recoveryCodes: recoveryCodes.slice(1),
      id: me.body.user.id as string,
    };
  };

  it('12. an old second-factor session cannot turn 2FA off, make recovery codes or credentials (REST or Keystone), replace the authenticator or change the password; a step-up on that session opens them', async () => {
    const m = await owner('stolen', true);
    await aged();

    const refused = [
      await api('/api/v1/me/two-factor', { method: 'DELETE', token: m.token }),
      await post('/api/v1/me/two-factor/recovery-codes', {}, m.token),
      await post('/api/v1/me/application-credentials', { name: 'exfil' }, m.token),
      await api('/api/v1/me/password', {
        method: 'PUT',
        token: m.token,
        json: { currentPassword: PASSWORD, newPassword: 'a completely new passphrase' },
      }),
      // Replacing the authenticator with the thief's own phone: the password is not enough.
      await post('/api/v1/me/two-factor/enrollment', { password: PASSWORD }, m.token),
      await api(`/identity/v3/users/${m.id.replace(/-/g, '')}/application_credentials`, {
        method: 'POST',
        headers: { 'x-auth-token': m.token },
        json: { application_credential: { name: 'exfil-keystone' } },
      }),
    ];
    expect(
      refused.slice(0, 5).map((r) => `${r.status} ${r.body.error.code} ${r.body.error.stepUp?.with}`),
    ).toEqual(Array(5).fill('403 step_up_required code'));
    expect((await api('/api/v1/me/two-factor', { token: m.token })).body.pending).toBe(false);
    // Keystone's own route to a credential, with the same session as X-Auth-Token.
    expect([refused[5].status, refused[5].body.error.message]).toEqual([
      403,
      expect.stringMatching(/second factor again/),
    ]);
    expect((await api('/api/v1/me/application-credentials', { token: m.token })).body.credentials).toEqual(
      [],
    );
    // The password is not a second factor: it does not refresh a 2FA member's session.
    const byPassword = await post('/api/v1/auth/step-up', { password: PASSWORD }, m.token);
    expect(byPassword.status).toBe(400);

    const stepped = await post('/api/v1/auth/step-up', { code: m.recoveryCodes[0] }, m.token);
    expect(stepped.status).toBe(200);
    expect(Date.parse(stepped.body.freshUntil as string)).toBeGreaterThan(Date.now());
    expect((await post('/api/v1/me/two-factor/recovery-codes', {}, m.token)).status).toBe(201);
  });

  it('13. a step-up on one session does not refresh another, and wrong codes count toward the back-off', async () => {
    const m = await owner('sibling', true);
    const step1 = await post('/api/v1/auth/login', { login: m.login, password: PASSWORD });
    const other = (
      await post('/api/v1/auth/mfa', { mfaToken: step1.body.mfaToken, code: m.recoveryCodes[0] })
    ).body.token as string;
    await aged();
    expect((await post('/api/v1/auth/step-up', { code: m.recoveryCodes[1] }, m.token)).status).toBe(200);

    const fromOther = await post('/api/v1/me/two-factor/recovery-codes', {}, other);
    expect([fromOther.status, fromOther.body.error.code]).toEqual([403, 'step_up_required']);

    const answers: number[] = [];
    for (let i = 0; i < 7; i += 1)
      answers.push((await post('/api/v1/auth/step-up', { code: '000000' }, other)).status);
    expect(answers).toContain(429);
    expect(answers.filter((s) => s !== 401 && s !== 429)).toEqual([]);
  });

  it('14. without 2FA the password steps up, a wrong one does not, and a code is no way in', async () => {
    const m = await owner('plain', false);
    await aged();
    const late = await post('/api/v1/me/application-credentials', { name: 'bot' }, m.token);
    expect([late.status, late.body.error.code, late.body.error.stepUp.with]).toEqual([
      403,
      'step_up_required',
      'password',
    ]);

    expect(
      (await post('/api/v1/auth/step-up', { password: 'not the password at all' }, m.token)).status,
    ).toBe(401);
    expect((await post('/api/v1/auth/step-up', { code: '123456' }, m.token)).status).toBe(409);
    expect((await post('/api/v1/auth/step-up', { password: PASSWORD }, m.token)).status).toBe(200);
    expect((await post('/api/v1/me/application-credentials', { name: 'bot' }, m.token)).status).toBe(201);
  });

  it('15. a step-up needs a live session: not without one, and not after the member’s password changed', async () => {
    const m = await owner('ended', false);
    expect((await post('/api/v1/auth/step-up', { password: PASSWORD })).status).toBe(401);
    const other = (await post('/api/v1/auth/login', { login: m.login, password: PASSWORD })).body
      .token as string;
    expect(
      (
        await api('/api/v1/me/password', {
          method: 'PUT',
          token: m.token,
          json: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
        })
      ).status,
    ).toBe(204);
    expect((await post('/api/v1/auth/step-up', { password: NEW_PASSWORD }, other)).status).toBe(401);
  });
});
