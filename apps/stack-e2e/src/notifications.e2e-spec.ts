import { AuthenticatorApp, eventually, type SmtpCatcher, startSmtpCatcher } from '@twofold/testing';
import { type RunningStack, startStack } from './support';

jest.setTimeout(120_000);

const PASSWORD = 'correct horse battery staple';

describe('security events end to end: one audit entry and one e-mail each', () => {
  let smtp: SmtpCatcher;
  let running: RunningStack;
  let api: RunningStack['api'];

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    running = await startStack('e2e_notify', {
      // A short road to the lock: 6 wrong codes, no back-off before it.
      env: { SMTP_URL: smtp.url, OTP_LOCK_AFTER_FAILURES: '6', OTP_BACKOFF_AFTER_FAILURES: '50' },
    });
    api = running.api;
  });

  afterAll(async () => {
    await running?.close();
    await smtp?.close();
  });

  /** The e-mails to `email` about what happened to its sign-in (not the sign-up's request to confirm it). */
  const mailsAbout = (email: string) =>
    smtp.mails.filter((m) => m.to.includes(email) && m.subject !== '[Twofold] Confirm your address');

  /** A new member, signed in, with an enrolment started (not yet confirmed). */
  const memberStartingEnrolment = async (prefix: string) => {
    const login = `${prefix}-${Date.now()}`;
    const email = `${login}@example.com`;
    await api('/api/v1/accounts', {
      method: 'POST',
      json: { accountName: `${prefix} ${login}`, login, email, password: PASSWORD },
    });
    // The sign-up's own e-mail (confirm the address) is out of the way of what is counted next.
    await eventually(() => (smtp.mails.some((m) => m.to.includes(email)) ? true : undefined), 20_000);
    const session = (await api('/api/v1/auth/login', { method: 'POST', json: { login, password: PASSWORD } }))
      .body.token as string;
    const enrollment = await api('/api/v1/me/two-factor/enrollment', {
      method: 'POST',
      token: session,
      json: { password: PASSWORD },
    });
    return { login, email, session, enrollment };
  };

  it('enabling 2FA, using a recovery code and a lock each give one audit entry and one e-mail', async () => {
    const { login, email, session, enrollment } = await memberStartingEnrolment('notify');
    const app = new AuthenticatorApp(enrollment.body.secret);
    await api('/api/v1/me/two-factor/enrollment/confirm', {
      method: 'POST',
      token: session,
      json: { code: await app.nextCode() },
    });

    const mfaToken = async (): Promise<string> =>
      (await api('/api/v1/auth/login', { method: 'POST', json: { login, password: PASSWORD } })).body
        .mfaToken as string;
    await api('/api/v1/auth/mfa', {
      method: 'POST',
      json: { mfaToken: await mfaToken(), code: enrollment.body.recoveryCodes[0] },
    });
    const locking = await mfaToken();
    for (let i = 0; i < 6; i += 1)
      await api('/api/v1/auth/mfa', { method: 'POST', json: { mfaToken: locking, code: app.wrongCode() } });

    const expected = ['two_factor.enabled', 'recovery_code.used', 'two_factor.locked'];
    const events = await eventually(async () => {
      const res = await api('/api/v1/account/audit-events?limit=100', { token: session });
      const relevant = (res.body.events as { type: string; id: string }[]).filter((e) =>
        expected.includes(e.type),
      );
      return relevant.length >= 3 ? relevant : undefined;
    }, 20_000);
    expect(events.map((e) => e.type).sort()).toEqual([...expected].sort());
    // otp-service records who asked: the client's address and user agent, as the gateway saw them.
    for (const event of events as unknown as { ip: unknown; userAgent: unknown }[]) {
      expect(event).toMatchObject({
        ip: expect.stringMatching(/127\.0\.0\.1/),
        userAgent: expect.any(String),
      });
    }

    const subjects = await eventually(() => {
      const mine = mailsAbout(email);
      return mine.length >= 3 ? mine.map((m) => m.subject).sort() : undefined;
    }, 20_000);
    expect(subjects).toEqual([
      '[Twofold] A recovery code was used to sign in',
      '[Twofold] Two-factor authentication is on',
      '[Twofold] Your second factor is locked',
    ]);
    for (const event of events) {
      expect(smtp.mails.filter((m) => m.messageId === `<${event.id}@twofold.security-events>`)).toHaveLength(
        1,
      );
    }
    // No code, secret or recovery code in any e-mail.
    const bodies = smtp.mails
      .filter((m) => m.to.includes(email))
      .map((m) => m.body)
      .join('\n');
    expect(bodies).not.toContain(enrollment.body.recoveryCodes[0]);
    expect(bodies).not.toContain(enrollment.body.secret);
  });

  it('writes in the member’s language: German from Accept-Language at sign-up, English once it changes it', async () => {
    const login = `lang-${Date.now()}`;
    const email = `${login}@example.com`;
    await api('/api/v1/accounts', {
      method: 'POST',
      headers: { 'accept-language': 'de-DE,de;q=0.9,en;q=0.8' },
      json: { accountName: `Lang ${login}`, login, email, password: PASSWORD },
    });
    const confirm = await eventually(() => smtp.mails.find((m) => m.to.includes(email)), 20_000);
    expect(confirm.subject).toBe('[Twofold] Bestätigen Sie Ihre E-Mail-Adresse');
    expect(confirm.text).toContain(`Guten Tag ${login},`);
    const token = (await api('/api/v1/auth/login', { method: 'POST', json: { login, password: PASSWORD } }))
      .body.token as string;
    const language = async () => (await api('/api/v1/me', { token })).body.user.language as string;
    expect(await language()).toBe('de');

    const refused = await api('/api/v1/me/language', { method: 'PUT', token, json: { language: 'fr' } });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'language', message: 'must be one of en, de' }],
    });
    expect(await language()).toBe('de');

    const changed = await api('/api/v1/me/language', { method: 'PUT', token, json: { language: 'en' } });
    expect(changed).toMatchObject({ status: 200, body: { language: 'en' } });
    expect(await language()).toBe('en');
    await api('/api/v1/me/password', {
      method: 'PUT',
      token,
      json: { currentPassword: PASSWORD, newPassword: 'another passphrase in English' },
    });
    const next = await eventually(
      () => smtp.mails.find((m) => m.to.includes(email) && /password was changed|Passwort/.test(m.subject)),
      20_000,
    );
    expect(next.subject).toBe('[Twofold] Your password was changed');
    expect(next.text).toContain(`Hello ${login},`);
  });

  it('sends one e-mail when the worker is killed in the middle of sending it and restarted', async () => {
    const { email, session, enrollment } = await memberStartingEnrolment('killed');
    const app = new AuthenticatorApp(enrollment.body.secret);
    const accountService = running.stack.services['account-service'];

    // The worker takes the job, writes the audit entry and starts the SMTP delivery, which hangs…
    smtp.hold();
    await api('/api/v1/me/two-factor/enrollment/confirm', {
      method: 'POST',
      token: session,
      json: { code: await app.nextCode() },
    });
    await eventually(() => (smtp.held() > 0 ? true : undefined), 20_000);
    // …and the process dies before the server answers.
    await accountService.stop('SIGKILL');
    smtp.stopHolding();
    await accountService.start();

    // BullMQ finds the stalled job once its lock expires (30 s) and runs it again.
    const mails = await eventually(() => {
      const mine = mailsAbout(email);
      return mine.length > 0 ? mine : undefined;
    }, 100_000);
    const audit = await api('/api/v1/account/audit-events?limit=100', { token: session });
    const enabled = (audit.body.events as { type: string; id: string }[]).filter(
      (e) => e.type === 'two_factor.enabled',
    );
    expect(enabled).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(mailsAbout(email)).toHaveLength(1);
    expect(mails[0].messageId).toBe(`<${enabled[0].id}@twofold.security-events>`);
  }, 180_000);

  it('keeps the event of a change whose process is killed between its commit and the relay', async () => {
    const login = `crash-${Date.now()}`;
    const email = `${login}@example.com`;
    await api('/api/v1/accounts', {
      method: 'POST',
      json: { accountName: `Crash ${login}`, login, email, password: PASSWORD },
    });
    const session = (await api('/api/v1/auth/login', { method: 'POST', json: { login, password: PASSWORD } }))
      .body.token as string;
    const accountService = running.stack.services['account-service'];
    const usualEnv = accountService.options.env;

    // account-service kills itself once a password change has committed, before relaying its event.
    await accountService.stop();
    accountService.options.env = {
      ...usualEnv,
      NODE_ENV: 'test',
      TEST_CRASH_BEFORE_RELAYING: 'password.changed',
    };
    await accountService.start();
    const newPassword = 'a new passphrase after the crash';
    const change = await api('/api/v1/me/password', {
      method: 'PUT',
      token: session,
      json: { currentPassword: PASSWORD, newPassword },
    });
    // The process died around its answer: the caller may or may not have heard the 204.
    expect([204, 503]).toContain(change.status);
    expect(await accountService.waitForExit()).not.toBe(0);

    accountService.options.env = usualEnv;
    await accountService.start();
    // The change stood: the new password signs in, the old one does not…
    const signIn = await api('/api/v1/auth/login', {
      method: 'POST',
      json: { login, password: newPassword },
    });
    expect(signIn.status).toBe(200);
    expect(
      (await api('/api/v1/auth/login', { method: 'POST', json: { login, password: PASSWORD } })).status,
    ).toBe(401);
    // …and its event was not lost with the process: one audit entry, one e-mail.
    const token = signIn.body.token as string;
    const changed = await eventually(async () => {
      const audit = await api('/api/v1/account/audit-events?limit=100', { token });
      const mine = (audit.body.events as { type: string }[]).filter((e) => e.type === 'password.changed');
      return mine.length > 0 ? mine : undefined;
    }, 20_000);
    const passwordMails = () =>
      smtp.mails.filter((m) => m.to.includes(email) && m.subject === '[Twofold] Your password was changed');
    await eventually(() => (passwordMails().length > 0 ? true : undefined), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // another poll of the relay
    expect(changed).toHaveLength(1);
    const audit = await api('/api/v1/account/audit-events?limit=100', { token });
    expect(
      (audit.body.events as { type: string }[]).filter((e) => e.type === 'password.changed'),
    ).toHaveLength(1);
    expect(passwordMails()).toHaveLength(1);
  }, 120_000);
});
