import {
  AuthenticatorApp,
  eventually,
  linkIn,
  type SmtpCatcher,
  startSmtpCatcher,
  totpReference,
} from '@twofold/testing';
import { addMember, confirmAddress, type RunningStack, startStack } from './support';

jest.setTimeout(180_000);

const PASSWORD = 'correct horse battery staple';
/** A grace-period day lasts this long in this stack, so that a 9-day grace ends within the test. */
const DAY_SECONDS = 2;
const GRACE_DAYS = 9;

/**
 * Rolling 2FA out with a grace period, over HTTP with real e-mails: the deadline in /me and in
 * the compliance list, reminders (when the policy starts, 7 days and 1 day before, each once,
 * none after enrolling), restriction from the deadline on, and a policy nobody can sidestep.
 */
describe('the 2FA policy with a grace period', () => {
  let smtp: SmtpCatcher;
  let running: RunningStack;
  let api: RunningStack['api'];

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    running = await startStack('e2e_two_factor_policy', {
      env: { SMTP_URL: smtp.url, GRACE_PERIOD_DAY_SECONDS: String(DAY_SECONDS) },
    });
    api = running.api;
  });

  afterAll(async () => {
    await running?.close();
    await smtp?.close();
  });

  const post = (path: string, json: unknown, token?: string) =>
    api(path, { method: 'POST', json, ...(token ? { token } : {}) });
  const login = async (who: string, password = PASSWORD) =>
    (await post('/api/v1/auth/login', { login: who, password })).body as {
      status: string;
      token?: string;
      mfaToken?: string;
    };

  /** An account whose owner has 2FA, with a member per role asked for; members sign in by password. */
  const team = async (label: string) => {
    const owner = `${label}-${Date.now()}`;
    await post('/api/v1/accounts', {
      accountName: `Policy ${owner}`,
      login: owner,
      email: `${owner}@example.com`,
      password: PASSWORD,
    });
    const first = (await login(owner)).token!;
    const enrollment = await post('/api/v1/me/two-factor/enrollment', { password: PASSWORD }, first);
    const app = new AuthenticatorApp(enrollment.body.secret as string);
    await post('/api/v1/me/two-factor/enrollment/confirm', { code: await app.nextCode() }, first);
    const codes = enrollment.body.recoveryCodes as string[];
    const ownerToken = (
      await post('/api/v1/auth/mfa', { mfaToken: (await login(owner)).mfaToken, code: codes[0] })
    ).body.token as string;
    const add = async (name: string, roles: string[]) => {
      const who = `${owner}-${name}`;
      const added = await addMember(
        running,
        ownerToken,
        { login: who, email: `${who}@example.com`, password: PASSWORD, roles },
        { mails: () => smtp.mails },
      );
      expect(added.status).toBe(201);
      // Resync links go only to a proven address (an invitation proves it; an ops member confirms it).
      if (roles.every((r) => r === 'ops')) await confirmAddress(running, smtp, `${who}@example.com`);
      return { id: added.body.id as string, login: who, email: `${who}@example.com` };
    };
    return { owner, ownerToken, codes, app, add };
  };

  const mailsTo = (email: string, subject: RegExp) =>
    smtp.mails.filter((m) => m.to.includes(email) && subject.test(m.subject));

  it('gives members without 2FA until their deadline, reminds them, lists who is left, and restricts them after it', async () => {
    const t = await team('grace');
    const late = await t.add('late', ['billing']);
    const prompt = await t.add('prompt', ['admin']);
    const robot = await t.add('robot', ['ops']);
    const lateSession = (await login(late.login)).token!;
    const promptSession = (await login(prompt.login)).token!;

    const started = Date.now();
    const set = await api('/api/v1/account/policy', {
      method: 'PUT',
      token: t.ownerToken,
      json: { requireTwoFactor: true, gracePeriodDays: GRACE_DAYS },
    });
    expect(set.body).toMatchObject({
      requireTwoFactor: true,
      gracePeriodDays: GRACE_DAYS,
      notifyNewDevice: true,
    });

    // Within the grace period: a full session, and the deadline on every /me.
    const me = await api('/api/v1/me', { token: lateSession });
    expect(me.body.session.restricted).toBe(false);
    const deadline = Date.parse(me.body.twoFactor.deadline as string);
    expect(deadline).toBeGreaterThanOrEqual(started + GRACE_DAYS * DAY_SECONDS * 1000 - 1000);
    expect(deadline).toBeLessThanOrEqual(Date.now() + GRACE_DAYS * DAY_SECONDS * 1000);
    expect((await api('/api/v1/me/sessions', { token: lateSession })).status).toBe(200);
    const fresh = await login(late.login);
    expect((await api('/api/v1/me', { token: fresh.token })).body.session.restricted).toBe(false);
    // An OpenStack token in the grace period too — which ends with it.
    const keystone = await api('/identity/v3/auth/tokens', {
      method: 'POST',
      json: {
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: late.login, domain: { name: 'Default' }, password: PASSWORD } },
          },
        },
      },
    });
    expect(keystone.status).toBe(201);
    const keystoneToken = keystone.headers.get('x-subject-token')!;

    // One member enrols straight away: its reminders stop.
    const enrollment = await post('/api/v1/me/two-factor/enrollment', { password: PASSWORD }, promptSession);
    await post(
      '/api/v1/me/two-factor/enrollment/confirm',
      { code: await new AuthenticatorApp(enrollment.body.secret as string).nextCode() },
      promptSession,
    );

    const compliance = await api('/api/v1/account/two-factor-compliance', { token: t.ownerToken });
    expect(compliance.status).toBe(200);
    const byLogin = Object.fromEntries(
      (compliance.body.members as { login: string }[]).map((m) => [m.login, m]),
    );
    expect(compliance.body).toMatchObject({ requireTwoFactor: true, gracePeriodDays: GRACE_DAYS });
    expect(byLogin[t.owner]).toMatchObject({ enabled: true, deadline: null, exempt: false });
    expect(byLogin[late.login]).toMatchObject({
      enabled: false,
      deadline: me.body.twoFactor.deadline,
      exempt: false,
    });
    expect(byLogin[prompt.login]).toMatchObject({ enabled: true, deadline: null });
    expect(byLogin[robot.login]).toMatchObject({ enabled: false, deadline: null, exempt: true });
    expect((await api('/api/v1/account/two-factor-compliance', { token: lateSession })).status).toBe(403);

    // Past the deadline: a session begun in the grace period is enrolment-only now, and so is a new one.
    await new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now() + 300)));
    const after = await api('/api/v1/me/sessions', { token: fresh.token });
    expect([after.status, after.body.error.code]).toEqual([403, 'two_factor_required']);
    expect((await api('/api/v1/me', { token: fresh.token })).body.session.restricted).toBe(true);
    const restricted = await login(late.login);
    expect((await api('/api/v1/me', { token: restricted.token })).body.session.restricted).toBe(true);
    const validated = await api('/identity/v3/auth/tokens', {
      headers: { 'x-auth-token': keystoneToken, 'x-subject-token': keystoneToken },
    });
    expect(validated.status).toBe(401);
    // The ops member signs in as ever.
    expect(
      (await api('/api/v1/me', { token: (await login(robot.login)).token })).body.session.restricted,
    ).toBe(false);

    // Reminders: when the policy started, 7 days and 1 day before — each once, and none for the
    // member who enrolled (nor for the exempt one).
    const reminders = await eventually(
      () => {
        const found = mailsTo(late.email, /two-factor authentication/);
        return found.length >= 3 ? found : undefined;
      },
      20_000,
      'three reminders',
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(mailsTo(late.email, /two-factor authentication/).map((m) => m.subject)).toEqual([
      `[Twofold] Policy ${t.owner} now requires two-factor authentication`,
      '[Twofold] 7 days left to turn on two-factor authentication',
      '[Twofold] 1 day left to turn on two-factor authentication',
    ]);
    expect(reminders[1].text).toContain('Turn it on by');
    expect(mailsTo(prompt.email, /days? left/)).toEqual([]);
    expect(mailsTo(robot.email, /two-factor authentication/)).toEqual([]);
    const audited = (
      (await api('/api/v1/account/audit-events?limit=100', { token: t.ownerToken })).body.events as {
        type: string;
        subjectId: string;
        details: { kind: string };
      }[]
    ).filter((e) => e.type === 'two_factor.reminder' && e.subjectId === late.id);
    expect(audited.map((e) => e.details.kind).sort()).toEqual([
      'day_before',
      'policy_started',
      'week_before',
    ]);
  });

  it('lets nobody turn 2FA off while the policy applies; an admin reset puts the member straight back on enrolment', async () => {
    const t = await team('holds');
    const admin = await t.add('admin', ['admin']);
    const first = (await login(admin.login)).token!;
    const enrollment = await post('/api/v1/me/two-factor/enrollment', { password: PASSWORD }, first);
    const app = new AuthenticatorApp(enrollment.body.secret as string);
    await post('/api/v1/me/two-factor/enrollment/confirm', { code: await app.nextCode() }, first);
    const adminSession = (
      await post('/api/v1/auth/mfa', {
        mfaToken: (await login(admin.login)).mfaToken,
        code: (enrollment.body.recoveryCodes as string[])[0],
      })
    ).body.token as string;
    await api('/api/v1/account/policy', {
      method: 'PUT',
      token: t.ownerToken,
      json: { requireTwoFactor: true, gracePeriodDays: 30 },
    });

    const off = await api('/api/v1/me/two-factor', { method: 'DELETE', token: adminSession });
    expect([off.status, off.body.error.code]).toEqual([409, 'two_factor_required_by_policy']);
    expect(off.body.error.message).toContain('replace your authenticator');
    expect((await api('/api/v1/me/two-factor', { token: adminSession })).body.enabled).toBe(true);

    const reset = await api(`/api/v1/account/members/${admin.id}/two-factor`, {
      method: 'DELETE',
      token: t.ownerToken,
    });
    expect(reset.status).toBe(204);
    // A reset gives no new grace period: the next sign-in may only enrol.
    const back = await login(admin.login);
    const me = await api('/api/v1/me', { token: back.token });
    expect(me.body.session.restricted).toBe(true);
    expect(Date.parse(me.body.twoFactor.deadline as string)).toBeLessThanOrEqual(Date.now());

    // With the policy off, 2FA is each member's own business again.
    const owner2 = await post('/api/v1/auth/mfa', {
      mfaToken: (await login(t.owner)).mfaToken,
      code: t.codes[1],
    });
    await api('/api/v1/account/policy', {
      method: 'PUT',
      token: owner2.body.token as string,
      json: { requireTwoFactor: false },
    });
    const ownerOff = await api('/api/v1/me/two-factor', {
      method: 'DELETE',
      token: owner2.body.token as string,
    });
    expect(ownerOff.status).toBe(204);
  });
  it('changes phones with no moment unprotected: the old authenticator works until the new one is confirmed, then never again', async () => {
    const t = await team('phones');
    await api('/api/v1/account/policy', {
      method: 'PUT',
      token: t.ownerToken,
      json: { requireTwoFactor: true },
    });
    const elsewhere = (
      await post('/api/v1/auth/mfa', { mfaToken: (await login(t.owner)).mfaToken, code: t.codes[1] })
    ).body.token as string;

    const started = await post('/api/v1/me/two-factor/enrollment', { password: PASSWORD }, t.ownerToken);
    expect(started.status).toBe(201);
    const phone = new AuthenticatorApp(started.body.secret as string);
    const status = await api('/api/v1/me/two-factor', { token: t.ownerToken });
    expect(status.body).toMatchObject({ enabled: true, pending: true });
    // Meanwhile the old phone signs in as before.
    const oldPhone = await post('/api/v1/auth/mfa', {
      mfaToken: (await login(t.owner)).mfaToken,
      code: await t.app.nextCode(),
    });
    expect(oldPhone.status).toBe(200);

    const confirmed = await post(
      '/api/v1/me/two-factor/enrollment/confirm',
      { code: await phone.nextCode() },
      t.ownerToken,
    );
    expect(confirmed.body).toEqual({ enabled: true, recoveryCodesRemaining: 4 });

    // This session stays; the others end; the old phone and the old recovery codes are refused.
    expect((await api('/api/v1/me', { token: t.ownerToken })).status).toBe(200);
    expect((await api('/api/v1/me', { token: elsewhere })).status).toBe(401);
    expect((await api('/api/v1/me', { token: oldPhone.body.token as string })).status).toBe(401);
    const pending = (await login(t.owner)).mfaToken;
    // A code the old phone shows right now (any step it had left unused).
    const oldCode = await post('/api/v1/auth/mfa', {
      mfaToken: pending,
      code: totpReference(t.app.secret, Date.now() / 1000 - 30),
    });
    expect([oldCode.status, oldCode.body.error.code]).toEqual([401, 'invalid_code']);
    const oldRecovery = await post('/api/v1/auth/mfa', { mfaToken: pending, code: t.codes[2] });
    expect([oldRecovery.status, oldRecovery.body.error.code]).toEqual([401, 'invalid_code']);
    const newRecovery = await post('/api/v1/auth/mfa', {
      mfaToken: pending,
      code: (started.body.recoveryCodes as string[])[0],
    });
    expect(newRecovery.status).toBe(200);
    const told = await eventually(
      () =>
        smtp.mails.find(
          (m) =>
            m.to.includes(`${t.owner}@example.com`) &&
            m.subject === '[Twofold] Your authenticator was replaced',
        ),
      20_000,
    );
    expect(told.text).toContain('no longer work');
  });
  it('fixes a drifted phone: the member realigns it from two codes in a row, or an admin e-mails a one-time link', async () => {
    const t = await team('drift');
    /** What a phone whose clock is `seconds` off shows, `steps` codes from now. */
    const drifted = (secret: Buffer, seconds: number, steps = 0) =>
      totpReference(secret, Date.now() / 1000 + seconds + steps * 30);

    // The owner's phone runs 7 minutes fast: its codes are refused, a recovery code gets in.
    const ahead = 420;
    const refused = await post('/api/v1/auth/mfa', {
      mfaToken: (await login(t.owner)).mfaToken,
      code: drifted(t.app.secret, ahead),
    });
    expect([refused.status, refused.body.error.code]).toEqual([401, 'invalid_code']);
    const bad = await post(
      '/api/v1/me/two-factor/resync',
      { code1: drifted(t.app.secret, ahead), code2: drifted(t.app.secret, ahead, 2) },
      t.ownerToken,
    );
    expect([bad.status, bad.body.error.code]).toEqual([401, 'invalid_code']);
    // The code before, and the one the phone shows as the request is sent.
    const fixed = await post(
      '/api/v1/me/two-factor/resync',
      { code1: drifted(t.app.secret, ahead, -1), code2: drifted(t.app.secret, ahead) },
      t.ownerToken,
    );
    expect(fixed.body).toEqual({ resynced: true, driftSeconds: expect.any(Number) });
    expect(Math.abs(fixed.body.driftSeconds - ahead)).toBeLessThanOrEqual(30);
    const signedIn = await post('/api/v1/auth/mfa', {
      mfaToken: (await login(t.owner)).mfaToken,
      code: drifted(t.app.secret, ahead, 1),
    });
    expect(signedIn.status).toBe(200);

    // A member who cannot sign in at all: an admin e-mails it a link.
    const member = await t.add('far', ['billing']);
    const first = (await login(member.login)).token!;
    const enrollment = await post('/api/v1/me/two-factor/enrollment', { password: PASSWORD }, first);
    const secret = new AuthenticatorApp(enrollment.body.secret as string).secret;
    await post(
      '/api/v1/me/two-factor/enrollment/confirm',
      { code: totpReference(secret, Date.now() / 1000) },
      first,
    );
    const withoutTwoFactor = await t.add('plain', ['billing']);
    const noFactor = await post(
      `/api/v1/account/members/${withoutTwoFactor.id}/two-factor/resync-link`,
      {},
      signedIn.body.token as string,
    );
    expect([noFactor.status, noFactor.body.error.code]).toEqual([409, 'two_factor_not_enabled']);
    expect(
      (await post(`/api/v1/account/members/${member.id}/two-factor/resync-link`, {}, first)).status,
    ).toBe(403);
    const sent = await post(
      `/api/v1/account/members/${member.id}/two-factor/resync-link`,
      {},
      signedIn.body.token as string,
    );
    expect([sent.status, sent.body]).toEqual([202, { sent: true }]);
    const mail = await eventually(
      () =>
        smtp.mails.find(
          (m) =>
            m.to.includes(member.email) &&
            m.subject === '[Twofold] Make your authenticator’s codes work again',
        ),
      20_000,
    );
    const link = linkIn(mail, 'resync')!;
    expect(link.url).toMatch(new RegExp(`^${running.stack.publicUrl}/#/resync\\?token=`));
    const fast = 300;
    const viaLink = await post('/api/v1/security/two-factor-resync', {
      token: link.token,
      code1: drifted(secret, fast, -1),
      code2: drifted(secret, fast),
    });
    expect(viaLink.status).toBe(200);
    const again = await post('/api/v1/security/two-factor-resync', {
      token: link.token,
      code1: drifted(secret, fast, 1),
      code2: drifted(secret, fast, 2),
    });
    expect([again.status, again.body.error.code]).toEqual([400, 'link_invalid']);
    const memberIn = await post('/api/v1/auth/mfa', {
      mfaToken: (await login(member.login)).mfaToken,
      code: drifted(secret, fast, 1),
    });
    expect(memberIn.status).toBe(200);
  });
});
