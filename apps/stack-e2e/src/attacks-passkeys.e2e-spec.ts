import {
  AuthenticatorApp,
  eventually,
  linkIn,
  type SmtpCatcher,
  SoftwareAuthenticator,
  startSmtpCatcher,
} from '@twofold/testing';
import { addMember, type ApiResponse, confirmAddress, type RunningStack, startStack } from './support';

jest.setTimeout(300_000);

const PASSWORD = 'correct horse battery staple';

/**
 * The attack suite, continued (38–45): passkeys where paths meet — another member's or account's
 * passkey, answers replayed or without user verification, a removed member, the policy's passkey
 * requirement, a removal racing a sign-in, and "this wasn't me" against an intruder's passkey.
 */
describe('attacks on passkeys', () => {
  let smtp: SmtpCatcher;
  let running: RunningStack;
  let api: RunningStack['api'];
  let origin: string;
  let n = 0;

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    running = await startStack('e2e_attacks_passkeys', {
      env: { SMTP_URL: smtp.url, TRUSTED_PROXY_HOPS: '1' },
    });
    api = running.api;
    origin = `http://localhost:${new URL(running.stack.gatewayUrl).port}`;
  });

  afterAll(async () => {
    await running?.close();
    await smtp?.close();
  });

  const anyIp = () => `198.18.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
  const post = (path: string, json: unknown, token?: string): Promise<ApiResponse> =>
    api(path, {
      method: 'POST',
      json,
      ...(token ? { token } : {}),
      headers: { 'x-forwarded-for': anyIp() },
    });
  const login = (loginName: string) => post('/api/v1/auth/login', { login: loginName, password: PASSWORD });
  const alive = async (token: string) => (await api('/api/v1/me', { token })).status === 200;

  const addPasskey = async (session: string, key: SoftwareAuthenticator) => {
    const { body } = await post('/api/v1/me/passkeys/registration-options', {}, session);
    const added = await post(
      '/api/v1/me/passkeys',
      { name: 'Key', response: key.create(body.options, origin) },
      session,
    );
    expect(added.status).toBe(201);
    return added.body as { passkey: { id: string }; recoveryCodes?: string[] };
  };

  /** An account whose owner has a passkey on `key` and a fresh session. */
  const owner = async (key = new SoftwareAuthenticator()) => {
    n += 1;
    const name = `pk-attack-${n}-${Date.now()}`;
    const created = await post('/api/v1/accounts', {
      accountName: `Passkey attacks ${name}`,
      login: name,
      email: `${name}@example.com`,
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    await confirmAddress(running, smtp, `${name}@example.com`);
    const session = (await login(name)).body.token as string;
    const added = await addPasskey(session, key);
    return { login: name, email: `${name}@example.com`, session, key, passkeyId: added.passkey.id };
  };

  type Options = Parameters<SoftwareAuthenticator['get']>[0];
  const passwordless = async (key: SoftwareAuthenticator, tweak = (o: Options): Options => o) => {
    const options = await post('/api/v1/auth/passkey/options', {});
    return post('/api/v1/auth/passkey', {
      challengeId: options.body.challengeId,
      response: key.get(tweak(options.body.options), origin),
    });
  };

  it('38. a passkey of a removed member signs nothing in: not alone, and not its pending sign-in', async () => {
    const boss = await owner();
    const name = `pk-removed-${Date.now()}`;
    const added = await addMember(
      running,
      boss.session,
      { login: name, email: `${name}@example.com`, password: PASSWORD, roles: ['admin'] },
      { mails: () => smtp.mails },
    );
    const key = new SoftwareAuthenticator();
    await addPasskey((await login(name)).body.token as string, key);
    const pending = await login(name);
    expect(pending.body.methods).toContain('webauthn');

    expect(
      (await api(`/api/v1/account/members/${added.body.id}`, { method: 'DELETE', token: boss.session }))
        .status,
    ).toBe(204);

    const alone = await passwordless(key);
    expect(alone.status).toBe(401);
    expect(alone.body.error.code).toBe('passkey_refused');
    const second = await post('/api/v1/auth/mfa', {
      mfaToken: pending.body.mfaToken,
      webauthn: key.get(pending.body.webauthn.options, origin),
    });
    expect(second.status).toBe(401);
    expect(second.body).not.toHaveProperty('token');
  });

  it('39. an answer replayed — the same one again, or to a new challenge — signs nothing in', async () => {
    const victim = await owner();
    const options = await post('/api/v1/auth/passkey/options', {});
    const answer = victim.key.get(options.body.options, origin);
    const first = await post('/api/v1/auth/passkey', {
      challengeId: options.body.challengeId,
      response: answer,
    });
    expect(first.status).toBe(200);

    const again = await post('/api/v1/auth/passkey', {
      challengeId: options.body.challengeId,
      response: answer,
    });
    expect(again.status).toBe(401);
    const next = await post('/api/v1/auth/passkey/options', {});
    const moved = await post('/api/v1/auth/passkey', {
      challengeId: next.body.challengeId,
      response: answer,
    });
    expect(moved.status).toBe(401);
    // 20 copies of one fresh answer at once: one session.
    const race = await post('/api/v1/auth/passkey/options', {});
    const raced = victim.key.get(race.body.options, origin);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () =>
        post('/api/v1/auth/passkey', { challengeId: race.body.challengeId, response: raced }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 200)).toHaveLength(1);
  });

  it('40. a passkey that did not verify its user is no way in alone, whatever the options asked', async () => {
    const victim = await owner(new SoftwareAuthenticator({ userVerification: false }));

    const refused = await passwordless(
      victim.key,
      (o) => ({ ...o, userVerification: 'discouraged' }) as Options,
    );

    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('passkey_refused');
    // As the second factor, after the password, presence is enough.
    const started = await login(victim.login);
    const done = await post('/api/v1/auth/mfa', {
      mfaToken: started.body.mfaToken,
      webauthn: victim.key.get(started.body.webauthn.options, origin),
    });
    expect(done.status).toBe(200);
  });

  it('41. a passkey of another member or account proves nobody else: not at sign-in, nor at step-up', async () => {
    const victim = await owner();
    const intruder = await owner();

    const started = await login(victim.login);
    const foreign = intruder.key.get({ ...started.body.webauthn.options, allowCredentials: [] }, origin);
    const signIn = await post('/api/v1/auth/mfa', { mfaToken: started.body.mfaToken, webauthn: foreign });
    expect(signIn.status).toBe(401);
    expect(signIn.body.error.code).toBe('passkey_refused');

    const stepUpOptions = await post('/api/v1/auth/step-up/options', {}, victim.session);
    const stepUp = await post(
      '/api/v1/auth/step-up',
      { webauthn: intruder.key.get({ ...stepUpOptions.body.options, allowCredentials: [] }, origin) },
      victim.session,
    );
    expect(stepUp.status).toBe(401);
    // Nor does a challenge issued for the intruder's own sign-in carry over to the victim's.
    const mine = await login(intruder.login);
    const crossed = await post('/api/v1/auth/mfa', {
      mfaToken: started.body.mfaToken,
      webauthn: victim.key.get({ ...mine.body.webauthn.options, allowCredentials: [] }, origin),
    });
    expect(crossed.status).toBe(401);
  });

  it('42. under phishingResistantFor, an admin with a passkey cannot sign in with an app code, on REST or Keystone', async () => {
    const boss = await owner();
    const enrollment = await post('/api/v1/me/two-factor/enrollment', { password: PASSWORD }, boss.session);
    const app = new AuthenticatorApp(enrollment.body.secret);
    expect(
      (await post('/api/v1/me/two-factor/enrollment/confirm', { code: await app.nextCode() }, boss.session))
        .status,
    ).toBe(200);
    expect(
      (
        await api('/api/v1/account/policy', {
          method: 'PUT',
          json: { phishingResistantFor: ['owner', 'admin'] },
          token: boss.session,
        })
      ).status,
    ).toBe(200);

    const started = await login(boss.login);
    expect(started.body.methods).not.toContain('totp');
    // One right code for every edge: it is refused before it is checked, so nothing spends it.
    const code = await app.nextCode();
    const rest = await post('/api/v1/auth/mfa', { mfaToken: started.body.mfaToken, code });
    expect(rest.status).toBe(403);
    expect(rest.body.error.code).toBe('phishing_resistant_factor_required');
    const user = { name: boss.login, domain: { name: 'Default' }, password: PASSWORD };
    const keystone = await post('/identity/v3/auth/tokens', {
      auth: {
        identity: {
          methods: ['password', 'totp'],
          password: { user },
          totp: { user: { ...user, passcode: code } },
        },
      },
    });
    expect(keystone.status).toBe(401);
    expect(keystone.body).not.toHaveProperty('token');
    const stepUp = await post('/api/v1/auth/step-up', { code }, boss.session);
    expect(stepUp.status).toBe(403);
  });

  it('43. removing a passkey while someone signs in with it leaves no session made with it, 20 rounds', async () => {
    for (let round = 0; round < 20; round += 1) {
      const victim = await owner();
      const spare = new SoftwareAuthenticator();
      const kept = await addPasskey(victim.session, spare);
      expect(kept.passkey.id).toBeDefined();
      const options = await post('/api/v1/auth/passkey/options', {});
      const answer = victim.key.get(options.body.options, origin);

      const [signIn, removal] = await Promise.all([
        post('/api/v1/auth/passkey', { challengeId: options.body.challengeId, response: answer }),
        api(`/api/v1/me/passkeys/${victim.passkeyId}`, { method: 'DELETE', token: victim.session }),
      ]);

      expect(removal.status).toBe(204);
      if (signIn.status === 200) expect(await alive(signIn.body.token)).toBe(false);
      expect(await alive(victim.session)).toBe(true);
    }
  });

  it('44. “this wasn’t me” on the e-mail of an intruder’s passkey removes it, ends its session and turns 2FA back off', async () => {
    n += 1;
    const name = `pk-notme-${n}-${Date.now()}`;
    await post('/api/v1/accounts', {
      accountName: `Not me ${name}`,
      login: name,
      email: `${name}@example.com`,
      password: PASSWORD,
    });
    await confirmAddress(running, smtp, `${name}@example.com`);
    // The intruder holds the password, signs in and adds its own passkey: 2FA on, on its key.
    const intruderSession = (await login(name)).body.token as string;
    const intruderKey = new SoftwareAuthenticator();
    await addPasskey(intruderSession, intruderKey);
    const link = await eventually(
      () => {
        const mail = smtp.mails.find(
          (m) => m.to.includes(`${name}@example.com`) && /passkey/i.test(m.subject + m.text),
        );
        return mail ? linkIn(mail, 'not-me') : undefined;
      },
      20_000,
      'the e-mail of the passkey with its not-me link',
    );

    expect((await post('/api/v1/security/not-me', { token: link.token })).status).toBe(200);

    expect(await alive(intruderSession)).toBe(false);
    expect((await passwordless(intruderKey)).status).toBe(401);
    expect((await login(name)).status).toBe(403);
  });

  it('45. a refused removal ends nothing: an unknown passkey, or the last one while the account requires 2FA', async () => {
    const victim = await owner();
    const other = (await login(victim.login)).body.mfaToken as string;

    const unknown = await api('/api/v1/me/passkeys/00000000-0000-4000-8000-000000000000', {
      method: 'DELETE',
      token: victim.session,
    });
    expect(unknown.status).toBe(404);
    expect(
      (
        await api('/api/v1/account/policy', {
          method: 'PUT',
          json: { requireTwoFactor: true },
          token: victim.session,
        })
      ).status,
    ).toBe(200);
    const last = await api(`/api/v1/me/passkeys/${victim.passkeyId}`, {
      method: 'DELETE',
      token: victim.session,
    });
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe('two_factor_required_by_policy');

    expect(await alive(victim.session)).toBe(true);
    expect((await api('/api/v1/me/passkeys', { token: victim.session })).body.passkeys).toHaveLength(1);
    expect((await post('/api/v1/auth/mfa/options', { mfaToken: other })).status).toBe(200);
  });
});
