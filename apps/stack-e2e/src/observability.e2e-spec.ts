import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { AuthenticatorApp, eventually } from '@twofold/testing';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { type RunningStack, startStack } from './support';

jest.setTimeout(180_000);

const PASSWORD = 'correct horse battery staple';
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** An HTTP receiver on loopback: the OTLP collector and the SIEM's webhook in one. */
async function receiver(): Promise<{
  server: Server;
  url: string;
  received: Received[];
  status: { webhook: number };
}> {
  const received: Received[] = [];
  const status = { webhook: 204 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = req.url === '/siem' ? status.webhook : 200;
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        status: answer,
      });
      res.writeHead(answer, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, status };
}

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: Record<string, unknown> }[];
  service: string;
}

describe('what an operator sees: traces across every hop, security events at the SIEM', () => {
  let running: RunningStack;
  let sink: Awaited<ReturnType<typeof receiver>>;
  const secrets: string[] = [PASSWORD];

  beforeAll(async () => {
    sink = await receiver();
    running = await startStack('e2e_observability', {
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_TRACES_SAMPLER: 'parentbased_always_on',
        OTEL_BSP_SCHEDULE_DELAY: '200',
        SECURITY_EVENTS_WEBHOOK_URL: `${sink.url}/siem`,
        SECURITY_EVENTS_WEBHOOK_SECRET: SECRET,
      },
    });
  });

  afterAll(async () => {
    await running?.close();
    sink?.server.close();
  });

  const spans = (): OtlpSpan[] =>
    sink.received
      .filter((r) => r.path === '/v1/traces')
      .flatMap((r) => {
        const body = JSON.parse(r.body) as {
          resourceSpans: {
            resource: { attributes: { key: string; value: { stringValue?: string } }[] };
            scopeSpans: { spans: Omit<OtlpSpan, 'service'>[] }[];
          }[];
        };
        return body.resourceSpans.flatMap((rs) => {
          const service =
            rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
          return rs.scopeSpans.flatMap((ss) => ss.spans.map((span) => ({ ...span, service })));
        });
      });

  const post = (path: string, json: unknown, headers: Record<string, string> = {}, token?: string) =>
    running.api(path, { method: 'POST', json, headers, ...(token ? { token } : {}) });

  async function memberWith2fa(login: string) {
    await post('/api/v1/accounts', {
      accountName: `Obs ${login}`,
      login,
      email: `${login}@example.com`,
      password: PASSWORD,
    });
    const session = (await post('/api/v1/auth/login', { login, password: PASSWORD })).body.token as string;
    const enrollment = await post('/api/v1/me/two-factor/enrollment', { password: PASSWORD }, {}, session);
    const app = new AuthenticatorApp(enrollment.body.secret as string);
    const code = await app.nextCode();
    expect((await post('/api/v1/me/two-factor/enrollment/confirm', { code }, {}, session)).status).toBe(200);
    secrets.push(
      session,
      enrollment.body.secret as string,
      code,
      ...(enrollment.body.recoveryCodes as string[]),
    );
    return app;
  }

  it("makes one sign-in one trace, continuing the client's trace id, from the gateway through NATS to otp-service and Redis", async () => {
    const login = `obs-${Date.now()}`;
    const app = await memberWith2fa(login);
    const traceId = randomBytes(16).toString('hex');
    const [passwordStep, codeStep] = [randomBytes(8).toString('hex'), randomBytes(8).toString('hex')];

    const first = await post(
      '/api/v1/auth/login',
      { login, password: PASSWORD },
      { traceparent: `00-${traceId}-${passwordStep}-01` },
    );
    expect(first.body.status).toBe('mfa_required');
    const code = await app.nextCode();
    const second = await post(
      '/api/v1/auth/mfa',
      { mfaToken: first.body.mfaToken, code },
      { traceparent: `00-${traceId}-${codeStep}-01` },
    );
    expect(second.status).toBe(200);
    secrets.push(first.body.mfaToken as string, code, second.body.token as string);

    const trace = await eventually(() => {
      const found = spans().filter((s) => s.traceId === traceId);
      const has = (service: string, test: (s: OtlpSpan) => boolean) =>
        found.some((s) => s.service === service && test(s));
      return has('gateway', (s) => s.parentSpanId === codeStep && s.kind === 2) &&
        has('gateway', (s) => s.parentSpanId === passwordStep && s.kind === 2) &&
        has('otp-service', (s) => s.name === 'otp.v1.verify process') &&
        has('otp-service', (s) =>
          (s.attributes ?? []).some((a) => a.key === 'db.system' || a.key === 'db.system.name'),
        ) &&
        has('account-service', (s) => s.kind === 2)
        ? found
        : undefined;
    }, 30_000);
    // The NATS hop: the gateway's client span is the parent of otp-service's server span.
    const verify = trace.find((s) => s.service === 'otp-service' && s.name === 'otp.v1.verify process')!;
    const caller = trace.find((s) => s.spanId === verify.parentSpanId);
    expect(caller).toMatchObject({ service: 'gateway', name: 'otp.v1.verify send', kind: 3 });
  });

  it('puts no password, code, secret, token or link into any span', async () => {
    // E-mails are spans too (account-service's worker, after the queue).
    const all = await eventually(
      () =>
        spans().some((s) => s.service === 'account-service' && s.name === 'email send') ? spans() : undefined,
      20_000,
    );
    expect(all.length).toBeGreaterThan(20);
    const values = JSON.stringify(all.map((s) => [s.name, s.attributes]));
    expect(secrets.filter((secret) => values.includes(secret))).toEqual([]);
    expect(values).not.toMatch(/token=|#\/(password-reset|not-me|resync)/);
  });

  it('delivers every security event to the webhook once, signed, also across a receiver outage', async () => {
    sink.status.webhook = 503;
    await memberWith2fa(`obs-outage-${Date.now()}`);
    await post('/api/v1/auth/login', { login: `nobody-${Date.now()}`, password: 'wrong password here' });
    await new Promise((r) => setTimeout(r, 3_000));
    expect(sink.received.some((r) => r.path === '/siem' && r.status === 503)).toBe(true);
    sink.status.webhook = 204;

    const db = new Client({ connectionString: running.infra.database.url });
    await db.connect();
    try {
      const audited = await eventually(async () => {
        const ids = (await db.query<{ id: string }>('SELECT id FROM account.audit_events')).rows.map(
          (r) => r.id,
        );
        const delivered = new Set(
          sink.received
            .filter((r) => r.path === '/siem' && r.status === 204)
            .map((r) => String(r.headers['webhook-id'])),
        );
        return ids.length > 0 && ids.every((id) => delivered.has(id)) ? ids : undefined;
      }, 60_000);
      const accepted = sink.received.filter((r) => r.path === '/siem' && r.status === 204);
      const perId = new Map<string, number>();
      for (const r of accepted)
        perId.set(String(r.headers['webhook-id']), (perId.get(String(r.headers['webhook-id'])) ?? 0) + 1);
      expect([...perId.entries()].filter(([, n]) => n > 1)).toEqual([]);
      expect(new Set(perId.keys())).toEqual(new Set(audited));
      const types = new Set(accepted.map((r) => (JSON.parse(r.body) as { type: string }).type));
      expect([...types]).toEqual(
        expect.arrayContaining([
          'twofold.account.created',
          'twofold.two_factor.enabled',
          'twofold.second_factor.succeeded',
        ]),
      );
      for (const r of accepted) {
        expect(r.headers['content-type']).toMatch(/^application\/cloudevents\+json/);
        expect(() => new Webhook(SECRET).verify(r.body, r.headers as Record<string, string>)).not.toThrow();
        expect(secrets.filter((secret) => r.body.includes(secret))).toEqual([]);
      }
    } finally {
      await db.end();
    }
  });
});
