import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createIntegrationEnv, eventually, freePort } from '@twofold/testing';
import { type ApiResponse, ROOT_DIR, type RunningStack, startStack } from './support';

jest.setTimeout(60_000);

const PASSWORD = 'correct horse battery staple';

describe('the stack, driven over HTTP', () => {
  let running: RunningStack;
  let api: RunningStack['api'];

  beforeAll(async () => {
    running = await startStack('e2e_stack', { env: { AUTH_RATE_LIMIT_PER_MINUTE: '60' } });
    api = running.api;
  });

  afterAll(async () => {
    await running?.close();
  });

  const signUp = (suffix: string) =>
    api('/api/v1/accounts', {
      method: 'POST',
      json: {
        accountName: `Acme ${suffix}`,
        login: `alice-${suffix}`,
        email: `alice-${suffix}@example.com`,
        password: PASSWORD,
      },
    });

  describe('sign-up, login, /me and logout', () => {
    it('signs up a new account with its owner', async () => {
      const res = await signUp('signup');

      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        account: { id: expect.any(String), name: 'Acme signup' },
        user: {
          id: expect.any(String),
          login: 'alice-signup',
          email: 'alice-signup@example.com',
          roles: ['owner'],
        },
      });
    });

    it('refuses a second account with a taken login with 409', async () => {
      await signUp('dup');

      const res = await api('/api/v1/accounts', {
        method: 'POST',
        json: { accountName: 'Other name', login: 'ALICE-dup', email: 'x@example.com', password: PASSWORD },
      });

      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('login_taken');
    });

    it('logs in, shows the member on /me, logs out, and the token then stops working', async () => {
      const { body: created } = await signUp('flow');

      const login = await api('/api/v1/auth/login', {
        method: 'POST',
        json: { login: 'alice-flow', password: PASSWORD },
      });
      expect(login.status).toBe(200);
      expect(login.body).toEqual({
        status: 'authenticated',
        amr: ['pwd'],
        token: expect.any(String),
        expiresAt: expect.any(String),
        aal: 1,
      });
      const token: string = login.body.token;

      const me = await api('/api/v1/me', { token });
      expect(me.status).toBe(200);
      expect(me.body).toEqual({
        user: { ...created.user, language: 'en' },
        account: created.account,
        session: { aal: 1, amr: ['pwd'], expiresAt: login.body.expiresAt, restricted: false },
        // Not confirmed yet: the sign-up's e-mail carries the link that does.
        email: { address: created.user.email, verified: false, pending: null },
        twoFactor: {
          enabled: false,
          required: false,
          factors: [],
          recoveryCodesRemaining: 0,
          deadline: null,
          passkeyDeadline: null,
        },
      });

      const viaXAuthToken = await api('/api/v1/me', { headers: { 'x-auth-token': token } });
      expect(viaXAuthToken.status).toBe(200);

      const logout = await api('/api/v1/auth/logout', { method: 'POST', token });
      expect(logout.status).toBe(204);

      const after = await api('/api/v1/me', { token });
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('unauthenticated');

      const logs = running.logs();
      expect(logs).toContain(login.headers.get('x-request-id'));
      expect(logs).not.toContain(PASSWORD);
      expect(logs).not.toContain(token);
    });

    it('answers a wrong password and an unknown login with the same 401', async () => {
      await signUp('wrong');

      const wrongPassword = await api('/api/v1/auth/login', {
        method: 'POST',
        json: { login: 'alice-wrong', password: 'not the password' },
      });
      const unknownLogin = await api('/api/v1/auth/login', {
        method: 'POST',
        json: { login: 'nobody-at-all', password: PASSWORD },
      });

      expect(wrongPassword.status).toBe(401);
      expect(unknownLogin.status).toBe(401);
      expect(wrongPassword.body).toEqual(unknownLogin.body);
      expect(wrongPassword.body).toEqual({
        error: { code: 'invalid_credentials', message: 'The login or password is incorrect.' },
      });
    });

    it('refuses /me without a token', async () => {
      const res = await api('/api/v1/me');

      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    });
  });

  describe('bad input', () => {
    it('answers an invalid sign-up with 400 naming each field, echoing nothing, creating nothing', async () => {
      const res = await api('/api/v1/accounts', {
        method: 'POST',
        json: { accountName: 'Bad input', login: 'bad-input', email: 'not-an-email', password: 'short-pw' },
      });

      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
        'email',
        'password',
      ]);
      expect(JSON.stringify(res.body)).not.toContain('short-pw');
      const login = await api('/api/v1/auth/login', {
        method: 'POST',
        json: { login: 'bad-input', password: 'short-pw' },
      });
      expect(login.status).toBe(401);
    });

    it('answers a body that is not JSON with 400, never 500', async () => {
      const res = await api('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"login": "alice", "password": ',
      });

      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    });

    it('answers a missing body with 400', async () => {
      const res = await api('/api/v1/auth/login', { method: 'POST' });

      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    });

    it('answers a form-encoded body with 415', async () => {
      const res = await api('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'login=alice&password=x',
      });

      expect(res.status).toBe(415);
      expect(res.body.error.code).toBe('unsupported_media_type');
    });

    it('answers an oversized body with 413', async () => {
      const res = await api('/api/v1/auth/login', {
        method: 'POST',
        json: { login: 'a', password: 'x'.repeat(100_000) },
      });

      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
    });

    it('answers an unknown route with 404 in the error format', async () => {
      const res = await api('/api/v1/nothing-here');

      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: { code: 'not_found', message: 'No such resource.' } });
    });
  });

  describe('operations', () => {
    it('returns the caller’s request id, or a new one', async () => {
      const given = await api('/api/v1/me', { headers: { 'x-request-id': 'lb-1234' } });
      const made = await api('/api/v1/me');

      expect(given.headers.get('x-request-id')).toBe('lb-1234');
      expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('reports readiness of every dependency', async () => {
      const res = await api('/readyz');

      expect(res.status).toBe(200);
      expect(res.body.checks).toEqual({
        redis: 'up',
        nats: 'up',
        'account-service': 'up',
        'otp-service': 'up',
      });
    });

    it('exposes Prometheus metrics on its metrics port, not on the public one', async () => {
      const gateway = running.stack.services.gateway;
      const res = await fetch(`http://127.0.0.1:${gateway.options.env.GATEWAY_METRICS_PORT}/metrics`);
      const body = await res.text();

      expect(res.status).toBe(200);
      expect((await api('/metrics')).status).toBe(404);
      expect(body).toContain('twofold_http_request_duration_seconds_bucket');
      expect(body).toContain(
        'twofold_rpc_client_duration_seconds_bucket{le="0.001",subject="account.v1.authenticate-password"',
      );
    });

    it('serves probes and metrics on each service too', async () => {
      for (const name of ['account-service', 'otp-service'] as const) {
        const service = running.stack.services[name];
        const ready = await fetch(`${service.url}/readyz`);
        const metrics = await fetch(`${service.url}/metrics`);

        expect(ready.status).toBe(200);
        expect(((await ready.json()) as { checks: unknown }).checks).toEqual({ postgres: 'up', redis: 'up' });
        expect(await metrics.text()).toContain('process_cpu_user_seconds_total');
      }
    });
  });

  describe('when account-service dies', () => {
    it('reports it on /readyz, answers login with a prompt 503, and recovers when it is back', async () => {
      await signUp('outage');
      const accountService = running.stack.services['account-service'];
      const gateway = running.stack.services.gateway;

      await accountService.stop('SIGKILL');

      const ready = await api('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.checks['account-service']).toBe('down');
      expect(ready.body.checks['otp-service']).toBe('up');

      const login = await api('/api/v1/auth/login', {
        method: 'POST',
        json: { login: 'alice-outage', password: PASSWORD },
      });
      expect(login.status).toBe(503);
      expect(login.body.error.code).toBe('service_unavailable');
      expect(login.ms).toBeLessThan(2000);

      await accountService.start();

      const recovered = await eventually(async () => {
        const res = await api('/api/v1/auth/login', {
          method: 'POST',
          json: { login: 'alice-outage', password: PASSWORD },
        });
        return res.status === 200 ? res : undefined;
      });
      expect(recovered.body.status).toBe('authenticated');
      expect((await api('/readyz')).status).toBe(200);
      expect(gateway.running).toBe(true);
    });
  });

  describe('per-address limits', () => {
    it('answers 429 with Retry-After once one address exceeds the sign-up limit', async () => {
      // 121 requests cover at most two one-minute windows, so one of them passes 60.
      const attempts: ApiResponse[] = [];
      for (let i = 0; i < 121 && !attempts.some((r) => r.status === 429); i += 1) {
        attempts.push(await api('/api/v1/accounts', { method: 'POST', json: {} }));
      }

      const limited = attempts.filter((r) => r.status === 429);
      expect(limited.length).toBeGreaterThan(0);
      expect(limited[0]?.body.error.code).toBe('too_many_attempts');
      expect(Number(limited[0]?.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(attempts.filter((r) => r.status === 400).length).toBeGreaterThan(0);
    });
  });

  describe('on SIGTERM', () => {
    it('a service shuts down promptly and the gateway reports it until it is back', async () => {
      const otpService = running.stack.services['otp-service'];
      const started = Date.now();

      await otpService.stop('SIGTERM');

      expect(Date.now() - started).toBeLessThan(5000);
      const ready = await api('/readyz');
      expect(ready.body.checks['otp-service']).toBe('down');
      await otpService.start();
      expect((await api('/readyz')).status).toBe(200);
    });
  });
});

describe('start-up with a problem a person can fix', () => {
  const startService = async (app: string, env: Record<string, string>) => {
    const child = spawn(process.execPath, [join(ROOT_DIR, 'apps', app, 'dist', 'main.js')], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { code, output };
  };

  it('names the unreachable dependency, its URL and how to start it, without a stack trace', async () => {
    const closedPort = await freePort();

    const { code, output } = await startService('account-service', {
      REDIS_URL: `redis://127.0.0.1:${closedPort}`,
      ACCOUNT_SERVICE_PORT: String(await freePort()),
    });

    expect(code).toBe(1);
    expect(output).toContain(
      `account-service cannot start. Redis is not reachable at redis://127.0.0.1:${closedPort}`,
    );
    expect(output).toContain('redis-server');
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('names each invalid variable and hides credentials', async () => {
    const { code, output } = await startService('gateway', {
      GATEWAY_PORT: 'eighty',
      REDIS_URL: 'http://user:s3cret@localhost',
    });

    expect(code).toBe(1);
    expect(output).toContain('GATEWAY_PORT: must be a port number between 1 and 65535');
    expect(output).toContain('REDIS_URL: must be a URL starting with redis:// or rediss://');
    expect(output).not.toContain('s3cret');
  });
});

describe('npm start, as an operator runs it', () => {
  it('runs TWOFOLD_OTP_INSTANCES otp-service processes and restarts one that is killed, saying so', async () => {
    const infra = await createIntegrationEnv('e2e_supervisor');
    const gatewayPort = await freePort();
    const child = spawn(process.execPath, [join(ROOT_DIR, 'libs/testing/dist/bin/start-stack.js')], {
      cwd: ROOT_DIR,
      env: {
        PATH: process.env.PATH ?? '',
        ...infra.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        TWOFOLD_OTP_INSTANCES: '2',
        GATEWAY_PORT: String(gatewayPort),
        GATEWAY_METRICS_PORT: String(await freePort()),
        OTP_SERVICE_PORT: String(await freePort()),
        ACCOUNT_SERVICE_PORT: String(await freePort()),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    try {
      await eventually(() => (output.includes('Twofold is running') ? true : undefined), 60_000, 'the stack');
      const pids = [...output.matchAll(/otp-service on port \d+, pid (\d+)/g)].map((m) => Number(m[1]));
      expect(pids).toHaveLength(2);

      process.kill(pids[1], 'SIGKILL');

      await eventually(
        () =>
          /otp-service-2 exited \(signal SIGKILL\); restarting it in 0\.5 s/.test(output) ? true : undefined,
        20_000,
        'the exit to be reported',
      );
      await eventually(
        () => (/otp-service-2 is running again \(pid \d+\)/.test(output) ? true : undefined),
        30_000,
        'the restart',
      );
      const ready = await fetch(`http://127.0.0.1:${gatewayPort}/readyz`);
      expect(ready.status).toBe(200);
    } finally {
      child.kill('SIGINT');
      await new Promise((resolve) => child.once('exit', resolve));
      await infra.cleanup();
    }
    // Stopping the stack is no crash: nothing is restarted.
    expect(output).not.toMatch(/(account-service|gateway) exited/);
  });
});
