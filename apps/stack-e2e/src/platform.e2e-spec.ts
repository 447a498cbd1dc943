import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { AuthenticatorApp, eventually, type SmtpCatcher, startSmtpCatcher } from '@twofold/testing';
import { addMember, operatorCli, type RunningStack, startStack } from './support';

jest.setTimeout(180_000);

const PASSWORD = 'correct horse battery staple';
const SERVICE_PASSWORD = 'a long random service password 4f9c2e';
const PYTHON = '/usr/bin/python3';
const MIDDLEWARE_APP = resolve(__dirname, '../fixtures/keystonemiddleware_app.py');

function middlewareInstalled(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import keystonemiddleware.auth_token'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const hasMiddleware = middlewareInstalled();
if (!hasMiddleware && !process.env.CI) {
  process.stderr.write(
    'Skipping the keystonemiddleware test: python3-keystonemiddleware is not installed (apt-get install it to run it).\n',
  );
}

/**
 * Twofold as the identity endpoint of a platform: service users created by the operator CLI,
 * whose tokens let keystonemiddleware accept any customer's token; the operator bringing back
 * a locked-out owner.
 */
describe('the platform around Twofold: service users, keystonemiddleware, the operator CLI', () => {
  let smtp: SmtpCatcher;
  let running: RunningStack;
  let api: RunningStack['api'];
  let n = 0;

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    running = await startStack('e2e_platform', {
      env: {
        SMTP_URL: smtp.url,
        OTP_LOCK_AFTER_FAILURES: '3',
        PASSWORD_LOCK_AFTER_FAILURES: '4',
      },
    });
    api = running.api;
  });

  afterAll(async () => {
    await running?.close();
    await smtp?.close();
  });

  const admin = (args: string[], input?: string, env: Record<string, string> = {}) =>
    operatorCli(running, args, input, env);

  const post = (path: string, json: unknown, token?: string) =>
    api(path, { method: 'POST', json, ...(token ? { token } : {}) });
  const v3Password = (login: string, password: string, project?: string) =>
    api('/identity/v3/auth/tokens', {
      method: 'POST',
      json: {
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: login, domain: { name: 'Default' }, password } },
          },
          ...(project ? { scope: { project: { name: project, domain: { name: 'Default' } } } } : {}),
        },
      },
    });

  /** A customer account whose owner has 2FA, and the owner's Keystone token (password + code). */
  const customer = async (label: string) => {
    n += 1;
    const login = `${label}-${n}-${Date.now()}`;
    const created = await post('/api/v1/accounts', {
      accountName: `Platform ${login}`,
      login,
      email: `${login}@example.com`,
      password: PASSWORD,
    });
    const session = (await post('/api/v1/auth/login', { login, password: PASSWORD })).body.token as string;
    const enrollment = await post('/api/v1/me/two-factor/enrollment', { password: PASSWORD }, session);
    const app = new AuthenticatorApp(enrollment.body.secret as string);
    await post('/api/v1/me/two-factor/enrollment/confirm', { code: await app.nextCode() }, session);
    const issued = await api('/identity/v3/auth/tokens', {
      method: 'POST',
      json: {
        auth: {
          identity: {
            methods: ['password', 'totp'],
            password: { user: { name: login, domain: { name: 'Default' }, password: PASSWORD } },
            totp: {
              user: { name: login, domain: { name: 'Default' }, passcode: enrollment.body.recoveryCodes[0] },
            },
          },
        },
      },
    });
    expect(issued.status).toBe(201);
    return {
      login,
      email: `${login}@example.com`,
      userId: created.body.user.id as string,
      project: `Platform ${login}`,
      projectId: (created.body.account.id as string).replace(/-/g, ''),
      token: issued.headers.get('x-subject-token')!,
      app,
      recoveryCodes: (enrollment.body.recoveryCodes as string[]).slice(1),
    };
  };

  const serviceToken = async (login: string): Promise<string> => {
    const res = await v3Password(login, SERVICE_PASSWORD, 'service');
    expect(res.status).toBe(201);
    return res.headers.get('x-subject-token')!;
  };

  describe('service users', () => {
    it('are created by the operator CLI (password from stdin), in project "service" with role "service"', async () => {
      const created = await admin(
        ['service-user', 'create', '--login', 'nova-svc', '--json'],
        `${SERVICE_PASSWORD}\n`,
      );
      const again = await admin(['service-user', 'create', '--login', 'nova-svc'], `${SERVICE_PASSWORD}\n`);

      expect(created.code).toBe(0);
      expect(JSON.parse(created.stdout)).toMatchObject({
        account: { name: 'service' },
        user: { login: 'nova-svc', roles: ['service'] },
      });
      expect(again.code).toBe(4);
      expect(again.stderr).toContain('login_taken');
      const token = await v3Password('nova-svc', SERVICE_PASSWORD, 'service');
      expect(token.body.token.project.name).toBe('service');
      expect(token.body.token.roles.map((r: { name: string }) => r.name)).toEqual(['service']);
    });

    it('never come from sign-up: "service" is a reserved account name', async () => {
      const res = await post('/api/v1/accounts', {
        accountName: 'Service',
        login: `squatter-${Date.now()}`,
        email: 'squatter@example.com',
        password: PASSWORD,
      });

      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain('reserved');
    });

    it('validate and check any customer’s token with its real project, roles and catalog, and may do nothing else', async () => {
      expect((await admin(['service-user', 'create', '--login', 'glance-svc'], SERVICE_PASSWORD)).code).toBe(
        0,
      );
      const svc = await serviceToken('glance-svc');
      const alice = await customer('alice');
      const both = { 'x-auth-token': svc, 'x-subject-token': alice.token };

      const validated = await api('/identity/v3/auth/tokens', { headers: both });
      const checked = await api('/identity/v3/auth/tokens', { method: 'HEAD', headers: both });
      const revoked = await api('/identity/v3/auth/tokens', { method: 'DELETE', headers: both });
      const rest = await api('/api/v1/me', { token: svc });
      const userShow = await api(`/identity/v3/users/${alice.userId.replace(/-/g, '')}`, {
        headers: { 'x-auth-token': svc },
      });

      expect(validated.status).toBe(200);
      expect(validated.body.token).toMatchObject({
        methods: ['password', 'totp'],
        user: { name: alice.login },
        project: { id: alice.projectId, name: alice.project },
        roles: [expect.objectContaining({ name: 'owner' })],
      });
      expect(validated.body.token.catalog[0].type).toBe('identity');
      expect(checked.status).toBe(200);
      expect(revoked.status).toBe(403);
      expect(revoked.body.error.message).toBe(
        'You are not authorized to perform the requested action: identity:revoke_token.',
      );
      expect((await api('/identity/v3/auth/tokens', { headers: both })).status).toBe(200);
      expect(rest.status).toBe(403);
      expect(userShow.status).toBe(403);
    });

    it('end with `service-user delete`: their tokens no longer validate', async () => {
      expect((await admin(['service-user', 'create', '--login', 'swift-svc'], SERVICE_PASSWORD)).code).toBe(
        0,
      );
      const svc = await serviceToken('swift-svc');

      const deleted = await admin(['service-user', 'delete', '--login', 'swift-svc']);
      const again = await admin(['service-user', 'delete', '--login', 'swift-svc']);

      expect(deleted.code).toBe(0);
      expect(again.code).toBe(3);
      expect((await api('/identity/v3/auth/projects', { headers: { 'x-auth-token': svc } })).status).toBe(
        401,
      );
    });
  });

  (hasMiddleware || process.env.CI ? describe : describe.skip)(
    'keystonemiddleware auth_token in front of a service',
    () => {
      let middleware: ChildProcess | undefined;
      let serviceUrl = '';

      beforeAll(async () => {
        if (!hasMiddleware)
          throw new Error('CI=true: python3-keystonemiddleware must be installed (.ci/run installs it)');
        expect(
          (await admin(['service-user', 'create', '--login', 'cinder-svc'], SERVICE_PASSWORD)).code,
        ).toBe(0);
        const child = spawn(
          PYTHON,
          [
            MIDDLEWARE_APP,
            JSON.stringify({
              auth_url: `${running.stack.gatewayUrl}/identity/v3`,
              username: 'cinder-svc',
              password: SERVICE_PASSWORD,
            }),
          ],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        middleware = child;
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const first = await new Promise<string>((done, fail) => {
          createInterface({ input: child.stdout }).once('line', done);
          child.once('exit', (code) =>
            fail(new Error(`keystonemiddleware_app.py exited with ${code}: ${stderr}`)),
          );
        });
        serviceUrl = `http://127.0.0.1:${(JSON.parse(first) as { port: number }).port}/`;
      });

      afterAll(() => {
        middleware?.kill();
      });

      const call = async (token?: string) => {
        const res = await fetch(serviceUrl, { headers: token ? { 'x-auth-token': token } : {} });
        return {
          status: res.status,
          body: res.status === 200 ? ((await res.json()) as Record<string, unknown>) : undefined,
        };
      };

      it('accepts a 2FA member’s token of any customer account and passes on who it is', async () => {
        const bob = await customer('bob');

        const res = await call(bob.token);

        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          'X-Identity-Status': 'Confirmed',
          'X-User-Name': bob.login,
          'X-User-Domain-Name': 'Default',
          'X-Project-Id': bob.projectId,
          'X-Project-Name': bob.project,
          'X-Roles': 'owner',
          catalog_types: ['identity'],
        });
      });

      it('refuses a revoked token, a restricted (enrol-only) one, garbage and none', async () => {
        const carol = await customer('carol');
        await api('/identity/v3/auth/tokens', {
          method: 'DELETE',
          headers: { 'x-auth-token': carol.token, 'x-subject-token': carol.token },
        });
        const owner = (await post('/api/v1/auth/login', { login: carol.login, password: PASSWORD })).body
          .mfaToken as string;
        const strong = (await post('/api/v1/auth/mfa', { mfaToken: owner, code: carol.recoveryCodes[0] }))
          .body.token as string;
        await api('/api/v1/account/policy', {
          method: 'PUT',
          token: strong,
          json: { requireTwoFactor: true },
        });
        const newcomer = `carol-new-${Date.now()}`;
        await addMember(
          running,
          strong,
          { login: newcomer, email: `${newcomer}@example.com`, password: PASSWORD, roles: ['billing'] },
          { mails: () => smtp.mails },
        );
        const restricted = (await post('/api/v1/auth/login', { login: newcomer, password: PASSWORD })).body
          .token as string;

        const answers = await Promise.all(
          [carol.token, restricted, 'A'.repeat(65), undefined].map((t) => call(t)),
        );

        expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401]);
      });
    },
  );

  describe('the operator CLI', () => {
    it('brings back an owner locked out of both factors: show, unlock, reset 2FA; the owner can enrol again', async () => {
      const owner = await customer('lockedout');
      for (let i = 0; i < 4; i += 1)
        await post('/api/v1/auth/login', { login: owner.login, password: 'wrong password' });
      const locked = await post('/api/v1/auth/login', { login: owner.login, password: PASSWORD });
      expect(locked.status).toBe(423);

      const shown = await admin(['member', 'show', '--login', owner.login]);
      const unlocked = await admin(['member', 'unlock', '--login', owner.login]);
      const signIn = await post('/api/v1/auth/login', { login: owner.login, password: PASSWORD });
      for (let i = 0; i < 3; i += 1)
        await post('/api/v1/auth/mfa', { mfaToken: signIn.body.mfaToken, code: owner.app.wrongCode() });
      const lockedSecondFactor = JSON.parse(
        (await admin(['member', 'show', '--login', owner.login, '--json'])).stdout,
      );
      const reset = await admin(['member', 'reset-two-factor', '--login', owner.login]);
      const resetAgain = await admin(['member', 'reset-two-factor', '--login', owner.login]);

      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain('sign-in LOCKED');
      expect(unlocked.code).toBe(0);
      expect(unlocked.stdout).toContain('Unlocked the sign-in');
      expect(signIn.body.status).toBe('mfa_required');
      expect(lockedSecondFactor).toMatchObject({
        signInLocked: false,
        twoFactor: { enabled: true, locked: true },
      });
      expect(reset.code).toBe(0);
      expect(resetAgain.stdout).toContain('nothing to reset');
      // 2FA off: the owner signs in with the password and enrols a new phone.
      const session = await post('/api/v1/auth/login', { login: owner.login, password: PASSWORD });
      expect(session.body.status).toBe('authenticated');
      const enrollment = await post(
        '/api/v1/me/two-factor/enrollment',
        { password: PASSWORD },
        session.body.token,
      );
      const app = new AuthenticatorApp(enrollment.body.secret as string);
      expect(
        (
          await post(
            '/api/v1/me/two-factor/enrollment/confirm',
            { code: await app.nextCode() },
            session.body.token,
          )
        ).status,
      ).toBe(200);
      const events = await eventually(async () => {
        const listed = (await api('/api/v1/account/audit-events?limit=100', { token: session.body.token }))
          .body.events as {
          type: string;
          actorId: string | null;
          details: Record<string, unknown>;
        }[];
        const byPlatform = listed.filter((e) => e.details.byOperator === true);
        return byPlatform.length >= 2 ? byPlatform : undefined;
      });
      expect(events.map((e) => [e.type, e.actorId]).sort()).toEqual([
        ['sign_in.unlocked', null],
        ['two_factor.reset', null],
      ]);
      const mail = await eventually(() =>
        smtp.mails.find(
          (m) =>
            m.subject === '[Twofold] The platform reset your two-factor authentication' &&
            m.to.includes(owner.email),
        ),
      );
      expect(mail.text).toContain(`Hello ${owner.login},`);
      expect(mail.text).toContain('/#/not-me?token=');
    });

    it('tells the owner when the platform acted on one of its members', async () => {
      const owner = await customer('owner-told');
      const session = (
        await post('/api/v1/auth/mfa', {
          mfaToken: (await post('/api/v1/auth/login', { login: owner.login, password: PASSWORD })).body
            .mfaToken,
          code: owner.recoveryCodes[0],
        })
      ).body.token as string;
      const member = `member-${Date.now()}`;
      await addMember(
        running,
        session,
        { login: member, email: `${member}@example.com`, password: PASSWORD, roles: ['billing'] },
        { mails: () => smtp.mails },
      );
      for (let i = 0; i < 4; i += 1)
        await post('/api/v1/auth/login', { login: member, password: 'wrong password' });

      expect((await admin(['member', 'unlock', '--login', member])).code).toBe(0);

      const mail = await eventually(() =>
        smtp.mails.find(
          (m) => m.subject === '[Twofold] Sign-in is unlocked' && m.to.includes(`${member}@example.com`),
        ),
      );
      expect(mail.text).toContain('/#/not-me?token=');
      const copy = await eventually(() =>
        smtp.mails.find((m) => m.subject === '[Twofold] Sign-in is unlocked' && m.to.includes(owner.email)),
      );
      expect(copy.text).toContain(`A copy of a security e-mail to ${member}`);
      expect(copy.text).not.toContain('/#/not-me?token=');
    });

    it('rotates the OTP key and lists failed notification jobs', async () => {
      const rotated = await admin(['keys', 'rotate']);
      const jobs = await admin(['jobs', 'failed', '--json']);
      const retried = await admin(['jobs', 'failed', '--retry']);

      expect(rotated.code).toBe(0);
      expect(rotated.stdout).toMatch(/^Re-encrypted \d+ OTP secret\(s\) under key "/m);
      expect(jobs.code).toBe(0);
      expect(JSON.parse(jobs.stdout)).toEqual({ jobs: expect.any(Array) });
      expect(retried.stdout).toMatch(/^Queued \d+ failed job\(s\) to run again\./m);
    });

    it('answers scripts with exit codes they can rely on', async () => {
      const unknown = await admin(['member', 'show', '--login', `nobody-${Date.now()}`]);
      const usage = await admin(['member', 'show']);
      const unreachable = await admin(['keys', 'rotate'], undefined, { NATS_URL: 'nats://127.0.0.1:1' });
      const help = await admin(['help']);

      expect([unknown.code, usage.code, unreachable.code, help.code]).toEqual([3, 2, 69, 0]);
      expect(unknown.stderr).toMatch(/^not_found: /);
      expect(usage.stderr).toContain('member show needs --login <login>');
      expect(unreachable.stderr).toContain('NATS is not reachable at nats://127.0.0.1:1');
      expect(help.stdout).toContain('Exit codes: 0 done');
    });
  });
});
