import { AuthenticatorApp, eventually, linkIn, type SmtpCatcher, startSmtpCatcher } from '@twofold/testing';
import { grantRounds, seeded } from './grant-rounds';
import { addMember, type ApiResponse, confirmAddress, type RunningStack, startStack } from './support';

jest.setTimeout(300_000);

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a brand new passphrase here';

/**
 * The attack suite, continued (24–35): attacks on the lifecycle of grants — what a session, a
 * token, a pending sign-in, an application credential or an e-mailed link can still do after a
 * change of its member, and whether someone without the password can move the member's
 * counters (docs/grants.md). Races run 20 rounds or more and must be won by nobody.
 */
describe('attacks on the lifecycle of grants', () => {
  let smtp: SmtpCatcher;
  let running: RunningStack;
  let api: RunningStack['api'];
  let n = 0;

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    running = await startStack('e2e_attacks_lifecycle', {
      // A lock at 10 wrong codes, and no back-off before it: attack 32 would reach the lock.
      env: {
        SMTP_URL: smtp.url,
        TRUSTED_PROXY_HOPS: '1',
        OTP_LOCK_AFTER_FAILURES: '10',
        OTP_BACKOFF_AFTER_FAILURES: '20',
      },
    });
    api = running.api;
  });

  afterAll(async () => {
    await running?.close();
    await smtp?.close();
  });

  const anyIp = () => `198.18.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
  const post = (path: string, json: unknown, init: { token?: string; ip?: string } = {}) =>
    api(path, {
      method: 'POST',
      json,
      ...(init.token ? { token: init.token } : {}),
      headers: { 'x-forwarded-for': init.ip ?? anyIp() },
    });
  const login = (who: string, password = PASSWORD, ip?: string) =>
    post('/api/v1/auth/login', { login: who, password }, ip ? { ip } : {});
  const mfa = (mfaToken: string, code: string, ip?: string) =>
    post('/api/v1/auth/mfa', { mfaToken, code }, ip ? { ip } : {});
  const credentialSignIn = (c: { id: string; secret: string }, ip?: string) =>
    api('/identity/v3/auth/tokens', {
      method: 'POST',
      json: {
        auth: {
          identity: {
            methods: ['application_credential'],
            application_credential: { id: c.id, secret: c.secret },
          },
        },
      },
      headers: { 'x-forwarded-for': ip ?? anyIp() },
    });
  const signsIn = async (c: { id: string; secret: string }) => (await credentialSignIn(c)).status === 201;
  const unique = (label: string) => {
    n += 1;
    return `${label}-${n}-${Date.now()}`;
  };

  interface Member {
    id: string;
    login: string;
    email: string;
    /** A session signed in with everything the member has (fresh: it can make sensitive changes). */
    token: string;
    app?: AuthenticatorApp;
    recoveryCodes: string[];
  }

  /** The newest link to `route` in the e-mails to `email` (after the first `after` of them). */
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

  /** Turns 2FA on from `token` and signs in again with a recovery code: the member's fresh aal2 session. */
  const enrol = async (m: Member, token = m.token): Promise<void> => {
    const enrollment = await post('/api/v1/me/two-factor/enrollment', { password: PASSWORD }, { token });
    expect(enrollment.status).toBe(201);
    m.app = new AuthenticatorApp(enrollment.body.secret as string);
    m.recoveryCodes = enrollment.body.recoveryCodes as string[];
    const confirm = await post(
      '/api/v1/me/two-factor/enrollment/confirm',
      { code: await m.app.nextCode() },
      { token },
    );
    expect(confirm.status).toBe(200);
    const pending = await login(m.login);
    m.token = (await mfa(pending.body.mfaToken as string, m.recoveryCodes.shift()!)).body.token as string;
  };

  const account = async (label: string) => {
    const base = unique(label);
    const created = await post('/api/v1/accounts', {
      accountName: `Lifecycle ${base}`,
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
    const addTeamMember = async (roles: string[]): Promise<Member> => {
      const who = unique(`${label}-m`);
      const added = await addMember(
        running,
        owner.token,
        { login: who, email: `${who}@example.com`, password: PASSWORD, roles },
        { mails: () => smtp.mails, headers: { 'x-forwarded-for': anyIp() } },
      );
      expect(added.status).toBe(201);
      if (roles.every((r) => r === 'ops')) await confirmAddress(running, smtp, `${who}@example.com`);
      return {
        id: added.body.id as string,
        login: who,
        email: `${who}@example.com`,
        token: (await login(who)).body.token as string,
        recoveryCodes: [],
      };
    };
    return { owner, project: `Lifecycle ${base}`, addMember: addTeamMember };
  };

  const makeCredential = async (token: string, name = unique('bot')) => {
    const res = await post('/api/v1/me/application-credentials', { name }, { token });
    expect(res.status).toBe(201);
    return { id: res.body.credential.id as string, secret: res.body.secret as string };
  };

  it('24. removal, demotion and “this wasn’t me” each win every race against the member’s own password changes (REST and Keystone), 20 rounds each', async () => {
    const { race } = grantRounds(running, smtp);
    const next = seeded(24);
    const broken: string[] = [];
    let made = 0;
    for (const change of ['remove', 'demote', 'not_me'] as const) {
      for (let round = 0; round < 20; round += 1) {
        const own = round % 2 === 0 ? 'rest_password' : 'keystone_password';
        const found = await race(
          change,
          [own, 'intruder_password'],
          Math.floor(next() * 30),
          () => new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 5))),
        );
        if (found) made += 1;
        broken.push(...(found ?? []).map((f) => `${change} round ${round} (${own}): ${f}`));
      }
    }
    expect(broken).toEqual([]);
    // The team's change was made in (nearly) every round: the races were really run.
    expect(made).toBeGreaterThanOrEqual(57);
  });

  it('25. a credential is never stronger than the session that made it: 2FA on suspends a password-made one until confirmed; a password change, a sign-out everywhere, a reset by e-mail and an admin’s sign-out everywhere end it', async () => {
    const { owner, addMember } = await account('minted');
    const victim = await addMember(['admin']);
    const intruder = (await login(victim.login, PASSWORD, '203.0.113.66')).body.token as string;

    // 2FA on: the intruder's password-made credential stops, and shows as unconfirmed.
    const early = await makeCredential(intruder);
    expect((await credentialSignIn(early)).status).toBe(201);
    await enrol(victim);
    const suspended = await credentialSignIn(early);
    expect([suspended.status, suspended.body.error.message]).toEqual([401, expect.stringMatching(/confirm/)]);
    const listed = await api('/api/v1/me/application-credentials', { token: victim.token });
    expect(listed.body.credentials).toEqual([expect.objectContaining({ id: early.id, secondFactor: false })]);
    // The member keeps it by confirming with its second factor (or deletes it).
    expect(
      (await post(`/api/v1/me/application-credentials/${early.id}/confirm`, {}, { token: victim.token }))
        .status,
    ).toBe(200);
    expect((await credentialSignIn(early)).status).toBe(201);

    // Without 2FA, a credential is as strong as the password: it ends with it.
    const plain = await addMember(['billing']);
    const byPassword = await makeCredential(
      (await login(plain.login, PASSWORD, '203.0.113.67')).body.token as string,
    );
    expect(
      (
        await api('/api/v1/me/password', {
          method: 'PUT',
          token: plain.token,
          json: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
        })
      ).status,
    ).toBe(204);
    expect(await signsIn(byPassword)).toBe(false);

    // …and with a sign-out everywhere.
    const plainToken = (await login(plain.login, NEW_PASSWORD)).body.token as string;
    const another = await makeCredential(
      (await login(plain.login, NEW_PASSWORD, '203.0.113.68')).body.token as string,
    );
    expect((await api('/api/v1/me/sessions', { method: 'DELETE', token: plainToken })).status).toBe(204);
    expect(await signsIn(another)).toBe(false);

    // A reset by e-mail ends every credential, the confirmed ones too.
    const strong = await makeCredential(victim.token);
    const before = linksSent(victim.email, 'password-reset');
    expect((await post('/api/v1/auth/password-reset', { login: victim.login })).status).toBe(202);
    const reset = await post('/api/v1/auth/password-reset/confirm', {
      token: (await linkTo(victim.email, 'password-reset', before)).token,
      newPassword: NEW_PASSWORD,
      code: victim.recoveryCodes.shift(),
    });
    expect(reset.status).toBe(204);
    expect([await signsIn(early), await signsIn(strong)]).toEqual([false, false]);

    // So does an admin's sign-out everywhere.
    const fresh = (
      await mfa(
        (await login(victim.login, NEW_PASSWORD)).body.mfaToken as string,
        victim.recoveryCodes.shift()!,
      )
    ).body.token as string;
    const last = await makeCredential(fresh);
    expect(
      (await api(`/api/v1/account/members/${victim.id}/sessions`, { method: 'DELETE', token: owner.token }))
        .status,
    ).toBe(204);
    expect(await signsIn(last)).toBe(false);
  });

  it('26. nothing made while “this wasn’t me” runs survives it: 16 parallel credentials against not-me, 20 rounds', async () => {
    const survivors: string[] = [];
    let attempted = 0;
    let refused = 0;
    for (let round = 0; round < 20; round += 1) {
      const { owner } = await account('race-not-me');
      // A change of the member's own whose e-mail carries the not-me link.
      const before = linksSent(owner.email, 'not-me');
      await api('/api/v1/me/sessions', { method: 'DELETE', token: owner.token });
      const notMe = (await linkTo(owner.email, 'not-me', before)).token;
      const intruder = (await login(owner.login, PASSWORD, '203.0.113.70')).body.token as string;
      const creations = Array.from({ length: 16 }, (_, i) =>
        post('/api/v1/me/application-credentials', { name: `exfil-${i}` }, { token: intruder }),
      );
      // Not-me lands among the creations: some are made before it, the rest after.
      const reported = new Promise((resolve) => setTimeout(resolve, (round % 10) * 12)).then(() =>
        post('/api/v1/security/not-me', { token: notMe }),
      );
      const answers = await Promise.all(creations);
      const made = answers.filter((r) => r.status === 201);
      expect((await reported).status).toBe(200);
      attempted += answers.length;
      refused += answers.filter((r) => r.status === 401).length;
      for (const r of made) {
        if (await signsIn({ id: r.body.credential.id as string, secret: r.body.secret as string })) {
          survivors.push(`round ${round}: ${r.body.credential.name as string}`);
        }
      }
    }
    expect(survivors).toEqual([]);
    // A real race: some creations were refused (not-me first), and not all.
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(attempted);
  });

  it('36. an intruder’s change of address takes effect only from the new address’s link, and the old address takes it back with “this wasn’t me”', async () => {
    const { owner } = await account('redirected');
    const intruder = (await login(owner.login, PASSWORD, '203.0.113.90')).body.token as string;
    const evil = `${owner.login}@evil.example`;
    const asked = await api('/api/v1/me/email', {
      method: 'PUT',
      token: intruder,
      json: { password: PASSWORD, email: evil },
    });
    expect([asked.status, asked.body]).toEqual([202, { pendingEmail: evil }]);
    // Until the new address is proven, the old one is the member's: a reset link goes there.
    expect((await api('/api/v1/me', { token: owner.token })).body.email).toEqual({
      address: owner.email,
      verified: true,
      pending: evil,
    });
    const verify = await eventually(
      () => smtp.mails.find((m) => m.to.includes(evil) && linkIn(m, 'verify-email')),
      20_000,
      'the link to the new address',
    );
    const before = linksSent(owner.email, 'not-me');
    expect(
      (await post('/api/v1/security/verify-email', { token: linkIn(verify, 'verify-email')!.token })).status,
    ).toBe(200);
    expect((await api('/api/v1/me', { token: owner.token })).body.user.email).toBe(evil);

    // The old address is told, with the way back.
    const told = await eventually(
      () =>
        smtp.mails.find(
          (m) => m.to.includes(owner.email) && m.subject.includes('e-mail address was changed'),
        ),
      20_000,
      'the e-mail to the old address',
    );
    expect(linksSent(owner.email, 'not-me')).toBeGreaterThan(before);
    expect((await post('/api/v1/security/not-me', { token: linkIn(told, 'not-me')!.token })).status).toBe(
      200,
    );

    // The address is the member's again, the intruder is out, and a reset link goes to the member.
    expect((await api('/api/v1/me', { token: intruder })).status).toBe(401);
    const resetsBefore = linksSent(owner.email, 'password-reset');
    expect((await post('/api/v1/auth/password-reset', { login: owner.login })).status).toBe(202);
    const reset = await post('/api/v1/auth/password-reset/confirm', {
      token: (await linkTo(owner.email, 'password-reset', resetsBefore)).token,
      newPassword: NEW_PASSWORD,
    });
    expect(reset.status).toBe(204);
    const back = (await login(owner.login, NEW_PASSWORD)).body.token as string;
    expect((await api('/api/v1/me', { token: back })).body.email).toEqual({
      address: owner.email,
      verified: true,
      pending: null,
    });
    expect(smtp.mails.filter((m) => m.to.includes(evil) && linkIn(m, 'password-reset'))).toEqual([]);
  });

  it('37. nobody knows another person’s password: a member is invited and chooses its own; its invitation is re-sent (the old link dies) or withdrawn; an admin sends a reset link, never a password', async () => {
    const { owner } = await account('invites');
    const invitee = unique('invitee');
    const email = `${invitee}@example.com`;
    const invite = (json: unknown) =>
      api('/api/v1/account/members', { method: 'POST', token: owner.token, json });
    const refused = await invite({ login: invitee, email, password: PASSWORD, roles: ['admin'] });
    expect([refused.status, refused.body.error.details[0].path]).toEqual([400, 'password']);
    const invited = await invite({ login: invitee, email, roles: ['admin'] });
    expect([invited.status, invited.body.invitation]).toEqual([201, { expiresAt: expect.any(String) }]);
    const linkOf = (after: number) =>
      eventually(
        () => {
          const found = smtp.mails.filter((m) => m.to.includes(email) && linkIn(m, 'invitation'));
          return found.length > after ? linkIn(found[found.length - 1], 'invitation') : undefined;
        },
        20_000,
        'the invitation',
      );
    const first = await linkOf(0);
    // No password signs in an invited member, and an admin cannot choose one for it.
    expect((await login(invitee, PASSWORD)).status).toBe(401);
    const set = await api(`/api/v1/account/members/${invited.body.id as string}/password`, {
      method: 'PUT',
      token: owner.token,
      json: { password: 'chosen by the admin' },
    });
    expect(set.status).toBe(403);

    const resent = await post(
      `/api/v1/account/members/${invited.body.id as string}/invitation`,
      {},
      { token: owner.token },
    );
    expect(resent.status).toBe(200);
    const second = await linkOf(1);
    const accept = (token: string) =>
      post('/api/v1/security/accept-invitation', { token, password: PASSWORD });
    expect((await accept(first.token)).body.error.code).toBe('link_invalid');
    expect((await accept(second.token)).body).toEqual({ login: invitee });
    expect((await accept(second.token)).body.error.code).toBe('link_invalid');
    expect((await login(invitee, PASSWORD)).body.status).toBe('authenticated');
    // Its address is proven by the invitation: an admin may e-mail it a reset link, nothing else.
    const resetsBefore = linksSent(email, 'password-reset');
    expect(
      (
        await post(
          `/api/v1/account/members/${invited.body.id as string}/password-reset-link`,
          {},
          { token: owner.token },
        )
      ).status,
    ).toBe(202);
    await linkTo(email, 'password-reset', resetsBefore);

    // A withdrawn invitation's member is gone, and its link opens nothing.
    const other = unique('withdrawn');
    const second2 = await invite({ login: other, email: `${other}@example.com`, roles: ['billing'] });
    const withdrawnLink = await eventually(
      () => {
        const mail = smtp.mails.find((m) => m.to.includes(`${other}@example.com`) && linkIn(m, 'invitation'));
        return mail ? linkIn(mail, 'invitation') : undefined;
      },
      20_000,
      'the second invitation',
    );
    expect(
      (
        await api(`/api/v1/account/members/${second2.body.id as string}/invitation`, {
          method: 'DELETE',
          token: owner.token,
        })
      ).status,
    ).toBe(204);
    expect((await accept(withdrawnLink.token)).body.error.code).toBe('link_invalid');
    const members = await api('/api/v1/account/members', { token: owner.token });
    expect((members.body.members as { login: string }[]).map((m) => m.login)).not.toContain(other);
  });

  it('29. wrong secrets never lock a credential out: 50 from five addresses, then the right one signs in; a chosen secret must not be guessable', async () => {
    const { owner } = await account('lockout');
    const credential = await makeCredential(owner.token);
    const answers: number[] = [];
    for (let i = 0; i < 50; i += 1) {
      answers.push(
        (await credentialSignIn({ id: credential.id, secret: `wrong-${i}` }, `192.0.2.${10 + (i % 5)}`))
          .status,
      );
    }
    expect(answers.every((s) => s === 401 || s === 429)).toBe(true);
    // The guessing addresses are held back; the credential is not.
    expect((await credentialSignIn({ id: credential.id, secret: 'wrong-again' }, '192.0.2.10')).status).toBe(
      429,
    );
    expect((await credentialSignIn(credential, '192.0.2.99')).status).toBe(201);

    const weak = await post(
      '/api/v1/me/application-credentials',
      { name: 'weak', secret: 'aaaaaaaabbbbbbbb' },
      { token: owner.token },
    );
    expect([weak.status, weak.body.error.details[0].path]).toEqual([400, 'secret']);
  });

  it('30. an intruder who turned on its own authenticator is undone by “this wasn’t me” on that e-mail: the member resets the password alone and is back in', async () => {
    const { owner } = await account('hijacked');
    const intruderSession = (await login(owner.login, PASSWORD, '203.0.113.80')).body.token as string;
    const intruder: Member = { ...owner, token: intruderSession, recoveryCodes: [] };
    await enrol(intruder, intruderSession);
    // The e-mail "two-factor authentication was turned on" reaches the member.
    const told = await eventually(
      () =>
        smtp.mails.find(
          (m) => m.to.includes(owner.email) && m.subject.includes('Two-factor authentication is on'),
        ),
      20_000,
      'the e-mail telling of 2FA turned on',
    );
    const notMe = linkIn(told, 'not-me')!.token;
    expect((await post('/api/v1/security/not-me', { token: notMe })).status).toBe(200);

    // The intruder's phone is no second factor any more, and its session is gone.
    expect((await api('/api/v1/me', { token: intruder.token })).status).toBe(401);
    const resetBefore = linksSent(owner.email, 'password-reset');
    expect((await post('/api/v1/auth/password-reset', { login: owner.login })).status).toBe(202);
    const reset = await post('/api/v1/auth/password-reset/confirm', {
      token: (await linkTo(owner.email, 'password-reset', resetBefore)).token,
      newPassword: NEW_PASSWORD,
    });
    expect(reset.status).toBe(204);
    const back = await login(owner.login, NEW_PASSWORD);
    expect([back.status, back.body.status]).toEqual([200, 'authenticated']);
    expect((await api('/api/v1/me/two-factor', { token: back.body.token as string })).body.enabled).toBe(
      false,
    );
    expect((await login(owner.login, NEW_PASSWORD)).body.status).toBe('authenticated');
    const audit = await api('/api/v1/account/audit-events', { token: back.body.token as string });
    expect(
      (audit.body.events as { type: string; details: Record<string, unknown> }[]).find(
        (e) => e.type === 'security.not_me_reported',
      )?.details,
    ).toMatchObject({ reportedEventType: 'two_factor.enabled', twoFactorRemoved: true });
  });

  it('31. shortening the grace period to 0 restricts, at once, the sessions and Keystone tokens begun within it', async () => {
    const { owner, project, addMember } = await account('grace');
    const member = await addMember(['billing']);
    const policy = (json: unknown) =>
      api('/api/v1/account/policy', { method: 'PUT', token: owner.token, json });
    expect((await policy({ requireTwoFactor: true, gracePeriodDays: 30 })).status).toBe(200);
    const rest = (await login(member.login)).body.token as string;
    const keystone = (
      await api('/identity/v3/auth/tokens', {
        method: 'POST',
        json: {
          auth: {
            identity: {
              methods: ['password'],
              password: { user: { name: member.login, domain: { name: 'Default' }, password: PASSWORD } },
            },
            scope: { project: { name: project, domain: { name: 'Default' } } },
          },
        },
      })
    ).headers.get('x-subject-token')!;
    const validates = async () =>
      (
        await api('/identity/v3/auth/tokens', {
          headers: { 'x-auth-token': keystone, 'x-subject-token': keystone },
        })
      ).status;
    expect((await api('/api/v1/me/sessions', { token: rest })).status).toBe(200);
    expect(await validates()).toBe(200);

    expect((await policy({ gracePeriodDays: 0 })).status).toBe(200);

    const restricted = await api('/api/v1/me/sessions', { token: rest });
    expect([restricted.status, restricted.body.error.code]).toEqual([403, 'two_factor_required']);
    expect((await api('/api/v1/me', { token: rest })).body.session.restricted).toBe(true);
    expect(await validates()).not.toBe(200);
  });

  it('32. holding only the mailbox, wrong codes at reset links neither slow nor lock the member’s sign-in (15 of them, where the lock is at 10)', async () => {
    const { owner } = await account('mailbox-only');
    await enrol(owner);
    const wrong = (token: string) =>
      post('/api/v1/auth/password-reset/confirm', {
        token,
        newPassword: NEW_PASSWORD,
        code: owner.app!.wrongCode(),
      });
    const answers: string[] = [];
    for (let link = 0; link < 3; link += 1) {
      const before = linksSent(owner.email, 'password-reset');
      expect((await post('/api/v1/auth/password-reset', { login: owner.login })).status).toBe(202);
      const { token } = await linkTo(owner.email, 'password-reset', before);
      for (let i = 0; i < 6; i += 1) {
        const res = await wrong(token);
        answers.push(`${res.status} ${res.body.error.code}`);
      }
    }
    // Each link takes five wrong codes, then it is dead.
    expect(answers).toEqual(
      Array(3)
        .fill([...Array<string>(5).fill('401 invalid_code'), '400 link_invalid'])
        .flat(),
    );
    // The member signs in with the phone at once, from anywhere: no back-off, no lock.
    const pending = await login(owner.login);
    const done = await mfa(pending.body.mfaToken as string, await owner.app!.nextCode());
    expect(done.status).toBe(200);
    const status = await api('/api/v1/me/two-factor', { token: done.body.token as string });
    expect(status.body).toMatchObject({ enabled: true, locked: false });
  });

  it('33. a login someone failed to sign in with before it existed starts clean for its new member', async () => {
    const future = unique('squatted');
    for (let i = 0; i < 55; i += 1) await login(future, `not the password ${i}`, `192.0.2.${100 + (i % 10)}`);
    const locked = await login(future, 'whatever it is', '192.0.2.200');
    expect(locked.status).toBe(423);

    expect(
      (
        await post('/api/v1/accounts', {
          accountName: `Lifecycle ${future}`,
          login: future,
          email: `${future}@example.com`,
          password: PASSWORD,
        })
      ).status,
    ).toBe(201);
    const first = await login(future, PASSWORD, '192.0.2.201');
    expect([first.status, first.body.status]).toEqual([200, 'authenticated']);
  });

  it('34. a NUL character or a forged cursor is a clear 400, never a 500, and no log line carries a password hash', async () => {
    const { owner } = await account('nul');
    const signUp = await post('/api/v1/accounts', {
      accountName: 'Nul account',
      login: 'nul\u0000login',
      email: 'nul@example.com',
      password: PASSWORD,
    });
    expect([signUp.status, signUp.body.error.code, signUp.body.error.details[0].path]).toEqual([
      400,
      'validation_failed',
      'login',
    ]);
    const named = await post(
      '/api/v1/me/application-credentials',
      { name: 'bot\u0000' },
      { token: owner.token },
    );
    expect([named.status, named.body.error.details[0].path]).toEqual([400, 'name']);
    const keystone = await api('/identity/v3/auth/tokens', {
      method: 'POST',
      json: {
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: 'x\u0000y', domain: { name: 'Default' }, password: PASSWORD } },
          },
        },
      },
    });
    expect(keystone.status).toBe(400);
    const cursor = await api(
      `/api/v1/account/audit-events?cursor=${Buffer.from(`2026-01-01T00:00:00Z|${'-'.repeat(36)}`).toString('base64url')}`,
      {
        token: owner.token,
      },
    );
    expect([cursor.status, cursor.body.error.details[0].path]).toEqual([400, 'cursor']);
    expect(running.logs()).not.toMatch(/\$argon2/);
    expect(running.logs()).not.toMatch(/"level":50/);
  });

  it('35. sign-up tells at most 10 times an hour per address that a login is taken', async () => {
    const { owner } = await account('probe');
    const ip = '192.0.2.250';
    const answers: number[] = [];
    for (let i = 0; i < 11; i += 1) {
      answers.push(
        (
          await post(
            '/api/v1/accounts',
            { accountName: unique('Probe'), login: owner.login, email: 'p@example.com', password: PASSWORD },
            { ip },
          )
        ).status,
      );
    }
    expect(answers).toEqual([...Array<number>(10).fill(409), 429]);
    // Whatever it asks next from there: a free login too waits for the hour.
    const free = unique('free');
    expect(
      (
        await post(
          '/api/v1/accounts',
          { accountName: free, login: free, email: 'f@example.com', password: PASSWORD },
          { ip },
        )
      ).status,
    ).toBe(429);
    // Other addresses are not held back.
    expect(
      (
        await post('/api/v1/accounts', {
          accountName: free,
          login: free,
          email: 'f@example.com',
          password: PASSWORD,
        })
      ).status,
    ).toBe(201);
  });
});

describe('attacks on the lifecycle of grants: step-up on every edge', () => {
  let running: RunningStack;
  let api: RunningStack['api'];
  const MAX_AGE_SECONDS = 2;

  beforeAll(async () => {
    running = await startStack('e2e_attacks_step_up_edges', {
      env: { STEP_UP_MAX_AGE_SECONDS: String(MAX_AGE_SECONDS) },
    });
    api = running.api;
  });

  afterAll(async () => {
    await running?.close();
  });

  const post = (path: string, json: unknown, token?: string) =>
    api(path, { method: 'POST', json, ...(token ? { token } : {}) });
  const aged = () => new Promise((r) => setTimeout(r, MAX_AGE_SECONDS * 1000 + 300));

  const owner = async (label: string) => {
    const login = `${label}-${Date.now()}`;
    const created = await post('/api/v1/accounts', {
      accountName: `Edges ${login}`,
      login,
      email: `${login}@example.com`,
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    return {
      id: created.body.user.id as string,
      login,
      project: `Edges ${login}`,
      token: (await post('/api/v1/auth/login', { login, password: PASSWORD })).body.token as string,
    };
  };

  it('27. the Keystone password change keeps the step-up rule of the REST one: an old token is refused (Keystone’s 403), a fresh one changes it', async () => {
    const m = await owner('keystone-old');
    const tokenOf = async (password: string) =>
      (
        await api('/identity/v3/auth/tokens', {
          method: 'POST',
          json: {
            auth: {
              identity: {
                methods: ['password'],
                password: { user: { name: m.login, domain: { name: 'Default' }, password } },
              },
              scope: { project: { name: m.project, domain: { name: 'Default' } } },
            },
          },
        })
      ).headers.get('x-subject-token')!;
    const old = await tokenOf(PASSWORD);
    await aged();
    const change = (token: string) =>
      api(`/identity/v3/users/${m.id.replace(/-/g, '')}/password`, {
        method: 'POST',
        headers: { 'x-auth-token': token },
        json: { user: { original_password: PASSWORD, password: NEW_PASSWORD } },
      });

    const refused = await change(old);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({
      code: 403,
      title: 'Forbidden',
      message: expect.stringMatching(/password again/),
    });
    expect((await post('/api/v1/auth/login', { login: m.login, password: PASSWORD })).status).toBe(200);
    expect((await change(await tokenOf(PASSWORD))).status).toBe(204);
  });

  it('28. an idle admin session makes no sensitive team change — password, 2FA reset, resync link, removal, roles, sign-out, policy, ownership — until it steps up', async () => {
    const o = await owner('idle-admin');
    const add = async (roles: string[]) => {
      const who = `${o.login}-${roles.join('-')}-${Math.random().toString(36).slice(2, 8)}`;
      const res = await addMember(running, o.token, {
        login: who,
        email: `${who}@example.com`,
        password: PASSWORD,
        roles,
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const target = await add(['admin']);
    const heir = await add(['admin']);
    await aged();

    const member = `/api/v1/account/members/${target}`;
    const attempts: ApiResponse[] = [
      await api(`${member}/password`, {
        method: 'PUT',
        token: o.token,
        json: { password: 'chosen by an intruder' },
      }),
      await api(`${member}/two-factor`, { method: 'DELETE', token: o.token }),
      await post(`${member}/two-factor/resync-link`, {}, o.token),
      await api(member, { method: 'PATCH', token: o.token, json: { roles: ['billing'] } }),
      await api(`${member}/sessions`, { method: 'DELETE', token: o.token }),
      await api(member, { method: 'DELETE', token: o.token }),
      await api('/api/v1/account/policy', {
        method: 'PUT',
        token: o.token,
        json: { requireTwoFactor: true },
      }),
      await post('/api/v1/account/ownership', { memberId: heir }, o.token),
    ];
    expect(attempts.map((a) => `${a.status} ${a.body.error.code}`)).toEqual(
      Array(8).fill('403 step_up_required'),
    );
    // What is only looked at needs no step-up.
    expect((await api('/api/v1/account/members', { token: o.token })).status).toBe(200);
    expect((await api('/api/v1/account/policy', { token: o.token })).status).toBe(200);
    expect((await api('/api/v1/account/members', { token: o.token })).body.members).toHaveLength(3);

    expect((await post('/api/v1/auth/step-up', { password: PASSWORD }, o.token)).status).toBe(200);
    expect(
      (await api(member, { method: 'PATCH', token: o.token, json: { roles: ['billing'] } })).status,
    ).toBe(200);
    expect(
      (
        await api('/api/v1/account/policy', {
          method: 'PUT',
          token: o.token,
          json: { notifyNewDevice: false },
        })
      ).status,
    ).toBe(200);
  });
});
