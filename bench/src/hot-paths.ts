/**
 * `npm run bench`: the hot paths, measured on this machine against the real stack (separate
 * processes, real Postgres, Redis and NATS on loopback). Bounded in count and time.
 *
 *   token validation — GET /api/v1/me with a session token (Redis GET + two NATS calls)
 *   second factor    — POST /api/v1/auth/mfa with a fresh TOTP code (MFA token, otp.v1.verify, session)
 */
import { resolve } from 'node:path';
import { AuthenticatorApp, createIntegrationEnv, freePort, Stack } from '@twofold/testing';
import autocannon from 'autocannon';

const PASSWORD = 'correct horse battery staple';
const MEMBERS = 200;
const CONCURRENCY = 16;

async function main(): Promise<void> {
  const infra = await createIntegrationEnv('bench');
  const stack = new Stack({
    rootDir: resolve(__dirname, '../..'),
    env: { ...infra.env, LOG_LEVEL: 'warn' },
    gatewayMetricsPorts: [await freePort()],
    ports: {
      gateway: await freePort(),
      'otp-service': await freePort(),
      'account-service': await freePort(),
    },
  });
  await stack.start();
  const url = stack.gatewayUrl;
  const post = async (path: string, body: unknown, token?: string): Promise<any> => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return res.json();
  };

  try {
    await post('/api/v1/accounts', {
      accountName: 'Bench',
      login: 'bench',
      email: 'bench@example.com',
      password: PASSWORD,
    });
    const token: string = (await post('/api/v1/auth/login', { login: 'bench', password: PASSWORD })).token;
    const me = await autocannon({
      url: `${url}/api/v1/me`,
      headers: { authorization: `Bearer ${token}` },
      connections: CONCURRENCY,
      duration: 5,
    });
    report('GET /api/v1/me (token validation)', me);

    process.stdout.write(`\nPreparing ${MEMBERS} members with 2FA…\n`);
    const pending: { mfaToken: string; app: AuthenticatorApp }[] = [];
    for (let i = 0; i < MEMBERS; i += 1) {
      const login = `bench-${i}`;
      await post('/api/v1/accounts', {
        accountName: `Bench ${i}`,
        login,
        email: `${login}@example.com`,
        password: PASSWORD,
      });
      const session: string = (await post('/api/v1/auth/login', { login, password: PASSWORD })).token;
      const enrollment = await post('/api/v1/me/two-factor/enrollment', { password: PASSWORD }, session);
      const app = new AuthenticatorApp(enrollment.secret as string);
      await post('/api/v1/me/two-factor/enrollment/confirm', { code: await app.nextCode() }, session);
      pending.push({
        mfaToken: (await post('/api/v1/auth/login', { login, password: PASSWORD })).mfaToken as string,
        app,
      });
    }
    const bodies = await Promise.all(
      pending.map(async (p) => JSON.stringify({ mfaToken: p.mfaToken, code: await p.app.nextCode() })),
    );
    let next = 0;
    const mfa = await autocannon({
      url: `${url}/api/v1/auth/mfa`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      connections: CONCURRENCY,
      amount: MEMBERS,
      requests: [{ setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }) }],
    });
    report('POST /api/v1/auth/mfa (TOTP second factor)', mfa);
    if (mfa.non2xx > 0) process.stdout.write(`  !! ${mfa.non2xx} second-factor requests were refused\n`);
  } finally {
    await stack.stop();
    await infra.cleanup();
  }
}

function report(name: string, result: autocannon.Result): void {
  process.stdout.write(
    `\n${name}\n  ${result.requests.total} requests, ${result.requests.average} req/s, ` +
      `latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms, ` +
      `errors ${result.errors}, non-2xx ${result.non2xx}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
