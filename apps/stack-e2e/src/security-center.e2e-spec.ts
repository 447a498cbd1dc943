import {
  AuthenticatorApp,
  type CaughtMail,
  eventually,
  linkIn,
  type SmtpCatcher,
  startSmtpCatcher,
} from '@twofold/testing';
import { addMember, confirmAddress, type RunningStack, startStack } from './support';

jest.setTimeout(180_000);

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a new passphrase nobody knows';

/**
 * The account security center over HTTP, with the e-mails received by a real SMTP server and
 * their links followed: forgot password, "this wasn't me", new-device notices, and the audit
 * of ending one session.
 */
describe('the account security center, e-mails and links included', () => {
  let smtp: SmtpCatcher;
  let running: RunningStack;
  let api: RunningStack['api'];
  let n = 0;

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    // The per-address limit of the links' routes is the attack suite's to test.
    running = await startStack('e2e_security_center', {
      env: { SMTP_URL: smtp.url, PASSWORD_RESET_RATE_LIMIT_PER_MINUTE: '1000' },
    });
    api = running.api;
  });

  afterAll(async () => {
    await running?.close();
    await smtp?.close();
  });

  const post = (path: string, json: unknown, init: { token?: string; userAgent?: string } = {}) =>
    api(path, {
      method: 'POST',
      json,
      ...(init.token ? { token: init.token } : {}),
      ...(init.userAgent ? { headers: { 'user-agent': init.userAgent } } : {}),
    });
  const login = (who: string, password = PASSWORD, userAgent?: string) =>
    post('/api/v1/auth/login', { login: who, password }, userAgent ? { userAgent } : {});

  /** A new account's owner, signed in; with 2FA when asked. */
  const owner = async (label: string, twoFactor = false) => {
    n += 1;
    const who = `${label}-${n}-${Date.now()}`;
    const created = await post('/api/v1/accounts', {
      accountName: `Center ${who}`,
      login: who,
      email: `${who}@example.com`,
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    // Reset links go only to a proven address.
    await confirmAddress(running, smtp, `${who}@example.com`);
    let token = (await login(who)).body.token as string;
    let app: AuthenticatorApp | undefined;
    let recoveryCodes: string[] = [];
    if (twoFactor) {
      const enrollment = await post('/api/v1/me/two-factor/enrollment', { password: PASSWORD }, { token });
      app = new AuthenticatorApp(enrollment.body.secret as string);
      recoveryCodes = enrollment.body.recoveryCodes as string[];
      const confirmed = await post(
        '/api/v1/me/two-factor/enrollment/confirm',
        { code: await app.nextCode() },
        { token },
      );
      expect(confirmed.status).toBe(200);
      const pending = await login(who);
      token = (await post('/api/v1/auth/mfa', { mfaToken: pending.body.mfaToken, code: recoveryCodes.pop() }))
        .body.token as string;
    }
    return {
      id: created.body.user.id as string,
      login: who,
      email: `${who}@example.com`,
      project: `Center ${who}`,
      token,
      app,
      recoveryCodes,
    };
  };

  const mailsTo = (email: string, subject?: string): CaughtMail[] =>
    smtp.mails.filter((m) => m.to.includes(email) && (subject === undefined || m.subject === subject));
  const mailTo = (email: string, subject: string, count = 1): Promise<CaughtMail> =>
    eventually(
      () => {
        const found = mailsTo(email, subject);
        return found.length >= count ? found[count - 1] : undefined;
      },
      20_000,
      `the e-mail "${subject}" to ${email}`,
    );
  const auditOf = async (token: string) =>
    (await api('/api/v1/account/audit-events?limit=100', { token })).body.events as {
      id: string;
      type: string;
      subjectId: string;
      details: Record<string, unknown>;
    }[];
  const keystonePassword = (who: string, password = PASSWORD, project?: string, userAgent?: string) =>
    api('/identity/v3/auth/tokens', {
      method: 'POST',
      ...(userAgent ? { headers: { 'user-agent': userAgent } } : {}),
      json: {
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: who, domain: { name: 'Default' }, password } },
          },
          ...(project ? { scope: { project: { name: project, domain: { name: 'Default' } } } } : {}),
        },
      },
    });

  describe('forgot password', () => {
    it('e-mails a link to the web app that sets a new password once; every session and token ends', async () => {
      const m = await owner('reset');
      const keystone = await keystonePassword(m.login, PASSWORD, m.project);
      expect(keystone.status).toBe(201);

      const asked = await post('/api/v1/auth/password-reset', { login: m.login.toUpperCase() });
      expect([asked.status, asked.body]).toEqual([202, { accepted: true }]);

      const mail = await mailTo(m.email, '[Twofold] Choose a new password');
      const link = linkIn(mail, 'password-reset');
      expect(link?.url).toMatch(new RegExp(`^${running.stack.publicUrl}/#/password-reset\\?token=`));
      // The link opens the web app (the token stays in the fragment, never sent to the server).
      const page = await fetch(link!.url);
      expect([page.status, page.headers.get('content-type')]).toEqual([
        200,
        expect.stringMatching(/text\/html/),
      ]);
      // Opening the page changed nothing.
      expect((await api('/api/v1/me', { token: m.token })).status).toBe(200);

      const done = await post('/api/v1/auth/password-reset/confirm', {
        token: link!.token,
        newPassword: NEW_PASSWORD,
      });
      expect(done.status).toBe(204);

      expect((await api('/api/v1/me', { token: m.token })).status).toBe(401);
      const validated = await api('/identity/v3/auth/tokens', {
        headers: {
          'x-auth-token': keystone.headers.get('x-subject-token')!,
          'x-subject-token': keystone.headers.get('x-subject-token')!,
        },
      });
      expect(validated.status).toBe(401);
      expect((await login(m.login)).status).toBe(401);
      expect((await login(m.login, NEW_PASSWORD)).status).toBe(200);

      const again = await post('/api/v1/auth/password-reset/confirm', {
        token: link!.token,
        newPassword: 'yet another passphrase',
      });
      expect([again.status, again.body.error.code]).toEqual([400, 'link_invalid']);
      expect((await login(m.login, NEW_PASSWORD)).status).toBe(200);

      const told = await mailTo(m.email, '[Twofold] Your password was reset');
      expect(linkIn(told, 'not-me')).toBeDefined();
      const signedIn = (await login(m.login, NEW_PASSWORD)).body.token as string;
      const types = (await auditOf(signedIn)).map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['password_reset.requested', 'password_reset.completed']));
      // No token of a link ever reaches a log line.
      expect(running.logs()).not.toContain(link!.token);
    });

    it('answers every login the same, e-mails only a member, and at most 3 links an hour per login', async () => {
      const m = await owner('same-answer');
      const answers = await Promise.all(
        [m.login, `nobody-${Date.now()}`, m.login, m.login, m.login].map((who) =>
          post('/api/v1/auth/password-reset', { login: who }),
        ),
      );

      expect(new Set(answers.map((a) => `${a.status} ${JSON.stringify(a.body)}`))).toEqual(
        new Set(['202 {"accepted":true}']),
      );
      await mailTo(m.email, '[Twofold] Choose a new password', 3);
      await new Promise((r) => setTimeout(r, 1000));
      expect(mailsTo(m.email, '[Twofold] Choose a new password')).toHaveLength(3);
      // Three links, each its own: the newest does not void the others, and each works once.
      const tokens = mailsTo(m.email, '[Twofold] Choose a new password').map(
        (mail) => linkIn(mail, 'password-reset')!.token,
      );
      expect(new Set(tokens).size).toBe(3);
    });

    it('refuses a bad body with 400 naming the field, and a token it never sent with link_invalid', async () => {
      const missing = await post('/api/v1/auth/password-reset', {});
      expect([missing.status, missing.body.error.details[0].path]).toEqual([400, 'login']);
      const weak = await post('/api/v1/auth/password-reset/confirm', {
        token: 'A'.repeat(43),
        newPassword: 'short',
      });
      expect([weak.status, weak.body.error.details[0].path]).toEqual([400, 'newPassword']);
      const unknown = await post('/api/v1/auth/password-reset/confirm', {
        token: 'A'.repeat(43),
        newPassword: NEW_PASSWORD,
      });
      expect([unknown.status, unknown.body.error.code]).toEqual([400, 'link_invalid']);
    });

    it('needs the second factor of a member with 2FA in the same request; a wrong code counts', async () => {
      const m = await owner('reset-2fa', true);
      const pending = await login(m.login);
      expect(pending.body.status).toBe('mfa_required');
      await post('/api/v1/auth/password-reset', { login: m.login });
      const { token } = linkIn(await mailTo(m.email, '[Twofold] Choose a new password'), 'password-reset')!;

      const withoutCode = await post('/api/v1/auth/password-reset/confirm', {
        token,
        newPassword: NEW_PASSWORD,
      });
      expect([withoutCode.status, withoutCode.body.error.code]).toEqual([401, 'second_factor_required']);
      const wrong = await post('/api/v1/auth/password-reset/confirm', {
        token,
        newPassword: NEW_PASSWORD,
        code: m.app!.wrongCode(),
      });
      expect([wrong.status, wrong.body.error.code]).toEqual([401, 'invalid_code']);
      // Nothing changed so far: the old password and the session still work.
      expect((await api('/api/v1/me', { token: m.token })).status).toBe(200);
      expect((await login(m.login)).body.status).toBe('mfa_required');

      const done = await post('/api/v1/auth/password-reset/confirm', {
        token,
        newPassword: NEW_PASSWORD,
        code: m.recoveryCodes[0],
      });
      expect(done.status).toBe(204);
      // The sign-in that was waiting for its code, the session and the old password are done for.
      const late = await post('/api/v1/auth/mfa', {
        mfaToken: pending.body.mfaToken,
        code: m.recoveryCodes[1],
      });
      expect([late.status, late.body.error.code]).toEqual([401, 'mfa_token_invalid']);
      expect((await api('/api/v1/me', { token: m.token })).status).toBe(401);
      expect((await login(m.login)).status).toBe(401);
      // 2FA stays on: the new password still asks for a code.
      expect((await login(m.login, NEW_PASSWORD)).body.status).toBe('mfa_required');
    });
  });

  describe('this wasn’t me', () => {
    it('locks out whoever holds the password: sessions, tokens, credentials and password sign-in end; the owner and admins are told', async () => {
      const o = await owner('not-me-owner');
      const admin = `${o.login}-admin`;
      const victim = `${o.login}-victim`;
      for (const [who, roles] of [
        [admin, ['admin']],
        [victim, ['billing', 'ops']],
      ] as const) {
        const added = await addMember(
          running,
          o.token,
          { login: who, email: `${who}@example.com`, password: PASSWORD, roles },
          { mails: () => smtp.mails },
        );
        expect(added.status).toBe(201);
      }
      // The intruder's hold: a session, a Keystone token, an application credential and its token.
      const session = (await login(victim)).body.token as string;
      const keystone = (await keystonePassword(victim, PASSWORD, o.project)).headers.get('x-subject-token')!;
      const credential = await post(
        '/api/v1/me/application-credentials',
        { name: 'intruder' },
        { token: session },
      );
      expect(credential.status).toBe(201);
      const credentialSignIn = () =>
        api('/identity/v3/auth/tokens', {
          method: 'POST',
          json: {
            auth: {
              identity: {
                methods: ['application_credential'],
                application_credential: {
                  id: (credential.body.credential.id as string).replace(/-/g, ''),
                  secret: credential.body.secret,
                },
              },
            },
          },
        });
      const credentialToken = (await credentialSignIn()).headers.get('x-subject-token')!;

      const told = await mailTo(`${victim}@example.com`, '[Twofold] An application credential was created');
      const link = linkIn(told, 'not-me')!;
      expect(link.url).toMatch(new RegExp(`^${running.stack.publicUrl}/#/not-me\\?token=`));
      // Following the link only shows a page: nothing happens until it is confirmed there.
      expect((await fetch(link.url)).status).toBe(200);
      expect((await api('/api/v1/me', { token: session })).status).toBe(200);

      const reported = await post('/api/v1/security/not-me', { token: link.token });
      expect([reported.status, reported.body]).toEqual([200, { login: victim }]);

      expect((await api('/api/v1/me', { token: session })).status).toBe(401);
      for (const subject of [keystone, credentialToken]) {
        const check = await api('/identity/v3/auth/tokens', {
          headers: { 'x-auth-token': subject, 'x-subject-token': subject },
        });
        expect(check.status).toBe(401);
      }
      expect((await credentialSignIn()).status).toBe(404);
      const rest = await login(victim);
      expect([rest.status, rest.body.error.code]).toEqual([403, 'password_reset_required']);
      expect((await keystonePassword(victim, PASSWORD, o.project)).status).toBe(401);
      const v2 = await api('/identity/v2.0/tokens', {
        method: 'POST',
        json: { auth: { passwordCredentials: { username: victim, password: PASSWORD } } },
      });
      expect(v2.status).toBe(401);
      // A wrong password still says only that it is wrong.
      expect((await login(victim, 'not the password at all')).body.error.code).toBe('invalid_credentials');

      const replay = await post('/api/v1/security/not-me', { token: link.token });
      expect([replay.status, replay.body.error.code]).toEqual([400, 'link_invalid']);

      await mailTo(`${victim}@example.com`, '[Twofold] Your account is secured');
      for (const manager of [o.email, `${admin}@example.com`]) {
        const mail = await mailTo(manager, `[Twofold] ${victim} reported suspicious activity`);
        expect(linkIn(mail, 'not-me')).toBeUndefined();
      }
      const event = (await auditOf(o.token)).find((e) => e.type === 'security.not_me_reported')!;
      expect(event).toMatchObject({
        details: {
          reportedEventType: 'application_credential.created',
          applicationCredentialsDeleted: 1,
        },
      });
      // Audited with the reported e-mail's own event id (its Message-ID).
      expect(told.messageId).toBe(`<${String(event.details.reportedEventId)}@twofold.security-events>`);

      // The page continues into "forgot password": a new password signs in again.
      await post('/api/v1/auth/password-reset', { login: victim });
      const reset = linkIn(
        await mailTo(`${victim}@example.com`, '[Twofold] Choose a new password'),
        'password-reset',
      )!;
      expect(
        (await post('/api/v1/auth/password-reset/confirm', { token: reset.token, newPassword: NEW_PASSWORD }))
          .status,
      ).toBe(204);
      expect((await login(victim, NEW_PASSWORD)).status).toBe(200);
    });
  });

  describe('new devices', () => {
    it('e-mails a sign-in from a device new to the member, never the first one nor a known one, unless the policy says not to', async () => {
      const o = await owner('devices');
      const newDevice = '[Twofold] New sign-in to your account';
      const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
      const safari =
        'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

      // The account's owner signed in once at sign-up, from the tests' own agent: that device is known.
      expect((await login(o.login)).status).toBe(200);
      expect((await login(o.login, PASSWORD, firefox)).status).toBe(200);
      expect((await login(o.login, PASSWORD, firefox)).status).toBe(200);
      const mail = await mailTo(o.email, newDevice);
      expect(mail.text).toContain('Firefox on Linux (the API)');
      expect(linkIn(mail, 'not-me')).toBeDefined();

      const off = await api('/api/v1/account/policy', {
        method: 'PUT',
        token: o.token,
        json: { notifyNewDevice: false },
      });
      expect(off.body).toMatchObject({ requireTwoFactor: false, gracePeriodDays: 0, notifyNewDevice: false });
      expect((await login(o.login, PASSWORD, safari)).status).toBe(200);
      // Keystone clients count too (on again: a marker that the e-mails so far have gone out).
      await api('/api/v1/account/policy', { method: 'PUT', token: o.token, json: { notifyNewDevice: true } });
      const openstack = 'openstacksdk/4.0.0 keystoneauth1/5.8.0 python-requests/2.32.3 CPython/3.11.2';
      expect((await keystonePassword(o.login, PASSWORD, o.project, openstack)).status).toBe(201);
      await mailTo(o.email, newDevice, 2);
      await new Promise((r) => setTimeout(r, 1000));
      const notices = (await auditOf(o.token)).filter((e) => e.type === 'sign_in.new_device');
      expect(notices.map((e) => e.details.via).sort()).toEqual(['api', 'keystone']);
      expect(mailsTo(o.email, newDevice)).toHaveLength(2);
    });
  });

  it('audits ending one session from the sessions list', async () => {
    const o = await owner('end-one');
    const other = (await login(o.login, PASSWORD, 'curl/8.5.0')).body.token as string;
    const listed = await api('/api/v1/me/sessions', { token: o.token });
    const target = (listed.body.sessions as { id: string; current: boolean }[]).find((s) => !s.current)!;

    const ended = await api(`/api/v1/me/sessions/${target.id}`, { method: 'DELETE', token: o.token });

    expect(ended.status).toBe(204);
    expect((await api('/api/v1/me', { token: other })).status).toBe(401);
    const event = await eventually(async () =>
      (await auditOf(o.token)).find((e) => e.type === 'session.ended'),
    );
    expect(event).toMatchObject({ subjectId: o.id, details: { sessionId: target.id, device: 'curl 8.5.0' } });
  });
});

/** Links that outlive their time: a stack whose links last one second. */
describe('expired links', () => {
  let smtp: SmtpCatcher;
  let running: RunningStack;

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    running = await startStack('e2e_links_expire', {
      env: { SMTP_URL: smtp.url, PASSWORD_RESET_LINK_TTL_SECONDS: '1', NOT_ME_LINK_TTL_SECONDS: '1' },
    });
  });

  afterAll(async () => {
    await running?.close();
    await smtp?.close();
  });

  it('refuses a password reset link and a “this wasn’t me” link once they expired, and changes nothing', async () => {
    const { api } = running;
    const who = `expire-${Date.now()}`;
    const email = `${who}@example.com`;
    await api('/api/v1/accounts', {
      method: 'POST',
      json: { accountName: `Expire ${who}`, login: who, email, password: PASSWORD },
    });
    await confirmAddress(running, smtp, email);
    // A second device: its e-mail carries a "this wasn't me" link.
    for (const agent of ['curl/8.5.0', 'Wget/1.21.3']) {
      await api('/api/v1/auth/login', {
        method: 'POST',
        json: { login: who, password: PASSWORD },
        headers: { 'user-agent': agent },
      });
    }
    await api('/api/v1/auth/password-reset', { method: 'POST', json: { login: who } });
    const mails = await eventually(() => {
      const found = smtp.mails.filter((m) => m.to.includes(email));
      return found.some((m) => linkIn(m, 'password-reset')) && found.some((m) => linkIn(m, 'not-me'))
        ? found
        : undefined;
    }, 20_000);
    await new Promise((r) => setTimeout(r, 1500));

    const reset = await api('/api/v1/auth/password-reset/confirm', {
      method: 'POST',
      json: {
        token: mails.map((m) => linkIn(m, 'password-reset')).find(Boolean)!.token,
        newPassword: NEW_PASSWORD,
      },
    });
    const notMe = await api('/api/v1/security/not-me', {
      method: 'POST',
      json: { token: mails.map((m) => linkIn(m, 'not-me')).find(Boolean)!.token },
    });

    expect([reset.status, reset.body.error.code]).toEqual([400, 'link_invalid']);
    expect([notMe.status, notMe.body.error.code]).toEqual([400, 'link_invalid']);
    const signIn = await api('/api/v1/auth/login', {
      method: 'POST',
      json: { login: who, password: PASSWORD },
    });
    expect(signIn.status).toBe(200);
  });
});
