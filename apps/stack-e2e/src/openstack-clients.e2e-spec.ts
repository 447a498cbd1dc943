import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AuthenticatorApp } from '@twofold/testing';
import { type RunningStack, startStack } from './support';

jest.setTimeout(180_000);

const PASSWORD = 'correct horse battery staple';
const PYTHON = '/usr/bin/python3';
const CLIENT_SCRIPT = resolve(__dirname, '../fixtures/keystone_client.py');

function installed(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import keystoneauth1'], { stdio: 'ignore' });
    execFileSync('openstack', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const clientsInstalled = installed();
if (!clientsInstalled && !process.env.CI) {
  process.stderr.write(
    'Skipping the real OpenStack client tests: python3-keystoneauth1 and python3-openstackclient are not installed (apt-get install them to run these).\n',
  );
}
// With CI set, a missing client is a failure, never a skip.
const describeWithClients = clientsInstalled || process.env.CI ? describe : describe.skip;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const run = (command: string, args: string[], env: Record<string, string> = {}): Promise<Run> =>
  new Promise((resolvePromise) => {
    execFile(command, args, { env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolvePromise({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });

describeWithClients('real OpenStack clients against Twofold', () => {
  let running: RunningStack;
  let configDir: string;
  let n = 0;

  beforeAll(async () => {
    if (!clientsInstalled)
      throw new Error(
        'CI=true: python3-keystoneauth1 and python3-openstackclient must be installed (.ci/run installs them)',
      );
    configDir = mkdtempSync(join(tmpdir(), 'twofold-clouds-'));
    const catalogFile = join(configDir, 'catalog.yaml');
    writeFileSync(
      catalogFile,
      [
        '- type: object-store',
        '  name: swift',
        '  endpoints:',
        '    - { interface: public, url: "http://127.0.0.1:8090/v1/AUTH_%(project_id)s" }',
        '',
      ].join('\n'),
    );
    running = await startStack('e2e_openstack', { env: { KEYSTONE_CATALOG_FILE: catalogFile } });
  });

  afterAll(async () => {
    await running?.close();
  });

  const authUrl = (): string => `${running.stack.gatewayUrl}/identity/v3`;

  const member = async (withTwoFactor: boolean) => {
    n += 1;
    const login = `os-${n}-${Date.now()}`;
    const project = `Project ${login}`;
    await running.api('/api/v1/accounts', {
      method: 'POST',
      json: { accountName: project, login, email: `${login}@example.com`, password: PASSWORD },
    });
    let app: AuthenticatorApp | undefined;
    let recoveryCodes: string[] = [];
    if (withTwoFactor) {
      const token: string = (
        await running.api('/api/v1/auth/login', { method: 'POST', json: { login, password: PASSWORD } })
      ).body.token;
      const enrollment = await running.api('/api/v1/me/two-factor/enrollment', {
        method: 'POST',
        json: { password: PASSWORD },
        token,
      });
      app = new AuthenticatorApp(enrollment.body.secret);
      recoveryCodes = enrollment.body.recoveryCodes;
      await running.api('/api/v1/me/two-factor/enrollment/confirm', {
        method: 'POST',
        json: { code: await app.nextCode() },
        token,
      });
    }
    return { login, project, app, recoveryCodes };
  };

  /** The clouds.yaml entry a platform team would write for a member with 2FA. */
  const cloudsFor = (m: { login: string; project: string }): string => {
    const file = join(configDir, `${m.login}.yaml`);
    writeFileSync(
      file,
      [
        'clouds:',
        '  twofold:',
        '    auth_type: v3multifactor',
        '    auth:',
        `      auth_url: ${authUrl()}`,
        '      auth_methods: [v3password, v3totp]',
        `      username: ${m.login}`,
        `      password: ${PASSWORD}`,
        '      user_domain_name: Default',
        `      project_name: ${m.project}`,
        '      project_domain_name: Default',
        '',
      ].join('\n'),
    );
    return file;
  };

  /** A password-only clouds.yaml entry (a member without 2FA, or automation). */
  const passwordCloudsFor = (m: { login: string; project: string }): string => {
    const file = join(configDir, `${m.login}-password.yaml`);
    writeFileSync(
      file,
      [
        'clouds:',
        '  twofold:',
        '    auth_type: password',
        '    auth:',
        `      auth_url: ${authUrl()}`,
        `      username: ${m.login}`,
        `      password: ${PASSWORD}`,
        '      user_domain_name: Default',
        `      project_name: ${m.project}`,
        '      project_domain_name: Default',
        '',
      ].join('\n'),
    );
    return file;
  };

  const openstack = (cloudsFile: string, ...args: string[]): Promise<Run> =>
    run('openstack', ['--os-cloud', 'twofold', ...args], { OS_CLIENT_CONFIG_FILE: cloudsFile });

  const tokenIssue = (cloudsFile: string, passcode: string): Promise<Run> =>
    run('openstack', ['--os-cloud', 'twofold', '--os-passcode', passcode, 'token', 'issue', '-f', 'json'], {
      OS_CLIENT_CONFIG_FILE: cloudsFile,
    });

  const keystoneauth = async (args: Record<string, string | undefined>): Promise<Record<string, unknown>> => {
    const result = await run(PYTHON, [
      CLIENT_SCRIPT,
      JSON.stringify({ auth_url: authUrl(), password: PASSWORD, ...args }),
    ]);
    const lastLine = result.stdout.trim().split('\n').pop() ?? '';
    try {
      return JSON.parse(lastLine) as Record<string, unknown>;
    } catch {
      throw new Error(`keystone_client.py failed: ${result.stderr}`);
    }
  };

  describe('the openstack CLI (v3multifactor)', () => {
    it('issues a token with password and passcode, and refuses a wrong and a replayed passcode', async () => {
      const m = await member(true);
      const clouds = cloudsFor(m);
      const code = await m.app!.nextCode();

      const issued = await tokenIssue(clouds, code);
      expect(issued.code).toBe(0);
      expect(JSON.parse(issued.stdout)).toMatchObject({
        id: expect.any(String),
        project_id: expect.any(String),
        user_id: expect.any(String),
      });

      const wrong = await tokenIssue(clouds, m.app!.wrongCode());
      expect(wrong.code).not.toBe(0);
      expect(wrong.stderr).toContain('HTTP 401');

      const replayed = await tokenIssue(clouds, code);
      expect(replayed.code).not.toBe(0);
      expect(replayed.stderr).toContain('HTTP 401');
    });

    it('takes a recovery code as the passcode, once', async () => {
      const m = await member(true);
      const clouds = cloudsFor(m);

      expect((await tokenIssue(clouds, m.recoveryCodes[0])).code).toBe(0);
      expect((await tokenIssue(clouds, m.recoveryCodes[0])).code).not.toBe(0);
    });
  });

  describe('the openstack CLI after token issue', () => {
    it('lists the configured catalog with `catalog list`', async () => {
      const m = await member(false);

      const listed = await openstack(passwordCloudsFor(m), 'catalog', 'list', '-f', 'json');

      expect(listed.code).toBe(0);
      const catalog = JSON.parse(listed.stdout) as { Name: string; Type: string; Endpoints: unknown }[];
      expect(catalog.map((s) => `${s.Type}:${s.Name}`).sort()).toEqual([
        'identity:keystone',
        'object-store:swift',
      ]);
      expect(JSON.stringify(catalog)).toContain('http://127.0.0.1:8090/v1/AUTH_');
    });

    it('shows the member’s own user and project, and sets its password with `user password set`', async () => {
      const m = await member(false);
      const clouds = passwordCloudsFor(m);
      const issued = JSON.parse((await openstack(clouds, 'token', 'issue', '-f', 'json')).stdout) as {
        user_id: string;
        project_id: string;
      };

      const user = await openstack(clouds, 'user', 'show', issued.user_id, '-f', 'json');
      const project = await openstack(clouds, 'project', 'show', issued.project_id, '-f', 'json');
      const changed = await openstack(
        clouds,
        'user',
        'password',
        'set',
        '--original-password',
        PASSWORD,
        '--password',
        'a password the CLI has set',
      );

      expect(user.code).toBe(0);
      expect(JSON.parse(user.stdout)).toMatchObject({
        id: issued.user_id,
        name: m.login,
        domain_id: 'default',
      });
      expect(project.code).toBe(0);
      expect(JSON.parse(project.stdout)).toMatchObject({ id: issued.project_id, name: m.project });
      expect(changed.code).toBe(0);
      const signIn = (password: string) =>
        running.api('/api/v1/auth/login', { method: 'POST', json: { login: m.login, password } });
      expect((await signIn(PASSWORD)).status).toBe(401);
      expect((await signIn('a password the CLI has set')).status).toBe(200);
    });

    it('makes, lists and deletes application credentials, which sign automation in without a passcode', async () => {
      const m = await member(true);
      const mfaClouds = cloudsFor(m);
      const withCode = (...args: string[]) =>
        run('openstack', ['--os-cloud', 'twofold', '--os-passcode', m.recoveryCodes.shift()!, ...args], {
          OS_CLIENT_CONFIG_FILE: mfaClouds,
        });

      const created = await withCode('application', 'credential', 'create', 'ci-deploy', '-f', 'json');
      expect(created.code).toBe(0);
      const credential = JSON.parse(created.stdout) as { id: string; secret: string; name: string };
      const listed = await withCode('application', 'credential', 'list', '-f', 'json');
      const appCredClouds = join(configDir, `${m.login}-appcred.yaml`);
      writeFileSync(
        appCredClouds,
        [
          'clouds:',
          '  twofold:',
          '    auth_type: v3applicationcredential',
          '    auth:',
          `      auth_url: ${authUrl()}`,
          `      application_credential_id: ${credential.id}`,
          `      application_credential_secret: ${credential.secret}`,
          '',
        ].join('\n'),
      );
      const automated = await openstack(appCredClouds, 'token', 'issue', '-f', 'json');
      const deleted = await withCode('application', 'credential', 'delete', 'ci-deploy');
      const afterDelete = await openstack(appCredClouds, 'token', 'issue', '-f', 'json');

      expect(credential.name).toBe('ci-deploy');
      expect(listed.code).toBe(0);
      expect((JSON.parse(listed.stdout) as { Name: string }[]).map((c) => c.Name)).toEqual(['ci-deploy']);
      expect(automated.code).toBe(0);
      const token = JSON.parse(automated.stdout) as { id: string; project_id: string };
      expect(token.project_id).toMatch(/^[0-9a-f]{32}$/);
      expect(deleted.code).toBe(0);
      expect(afterDelete.code).not.toBe(0);
      const validated = await running.api('/identity/v3/auth/tokens', {
        headers: { 'x-auth-token': token.id, 'x-subject-token': token.id },
      });
      expect(validated.status).toBe(401);
    });

    it('revokes a token with `token revoke`', async () => {
      const m = await member(false);
      const clouds = passwordCloudsFor(m);
      const token = (await openstack(clouds, 'token', 'issue', '-f', 'value', '-c', 'id')).stdout.trim();
      expect(token).toMatch(/^[A-Za-z0-9_-]{65}$/);

      const revoked = await openstack(clouds, 'token', 'revoke', token);

      expect(revoked.code).toBe(0);
      expect((await running.api('/api/v1/me', { token })).status).toBe(401);
    });
  });

  describe('keystoneauth1', () => {
    it('signs in with v3.MultiFactor, and fails with a wrong or replayed passcode', async () => {
      const m = await member(true);
      const code = await m.app!.nextCode();
      const args = { mode: 'multifactor', username: m.login, project: m.project };

      expect(await keystoneauth({ ...args, passcode: code })).toMatchObject({ ok: true });
      expect(await keystoneauth({ ...args, passcode: m.app!.wrongCode() })).toMatchObject({ ok: false });
      expect(await keystoneauth({ ...args, passcode: code })).toMatchObject({ ok: false });
    });

    it('follows the receipt flow: v3.Password, then v3.TOTP with v3.ReceiptMethod', async () => {
      const m = await member(true);

      const result = await keystoneauth({
        mode: 'receipt',
        username: m.login,
        project: m.project,
        passcode: await m.app!.nextCode(),
      });

      expect(result).toMatchObject({ ok: true, required: [['password', 'totp']] });
    });

    it('signs an ops member (the automation case) in with v3.Password and with v2.0', async () => {
      const owner = await member(false);
      const ownerToken: string = (
        await running.api('/api/v1/auth/login', {
          method: 'POST',
          json: { login: owner.login, password: PASSWORD },
        })
      ).body.token;
      const ops = { login: `${owner.login}-ops`, password: 'a long random automation password 7Qe9' };
      const added = await running.api('/api/v1/account/members', {
        method: 'POST',
        token: ownerToken,
        json: { ...ops, email: `${ops.login}@example.com`, roles: ['ops'] },
      });
      expect(added.status).toBe(201);
      const args = { username: ops.login, password: ops.password, project: owner.project };

      expect(await keystoneauth({ mode: 'password', ...args })).toMatchObject({ ok: true });
      expect(
        await keystoneauth({
          mode: 'v2password',
          ...args,
          auth_url: `${running.stack.gatewayUrl}/identity/v2.0`,
        }),
      ).toMatchObject({ ok: true });
    });

    it('is refused on v2.0 for a member with 2FA, told to use v3', async () => {
      const m = await member(true);

      const result = await keystoneauth({
        mode: 'v2password',
        username: m.login,
        project: m.project,
        auth_url: `${running.stack.gatewayUrl}/identity/v2.0`,
      });

      expect(result.ok).toBe(false);
      expect(String(result.error)).toContain('Identity v3 API');
    });
  });
});
