import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type SecurityEvent } from '@twofold/contracts';
import { MetricsService, SecurityEventPublisher } from '@twofold/platform';
import { createIntegrationEnv, eventually, type IntegrationEnv } from '@twofold/testing';
import { Webhook } from 'standardwebhooks';
import { AccountsService } from '../../accounts/accounts.service';
import { AppModule } from '../../app.module';
import { loadAccountConfig } from '../../config/account-config';
import { OperatorService } from '../../operator/operator.service';

jest.setTimeout(90_000);

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const PUBLIC_URL = 'https://id.example.com';

/** A SIEM's receiver on loopback: answers `status` (0: closes the connection unanswered). */
class Receiver {
  readonly received: { headers: IncomingHttpHeaders; body: string }[] = [];
  status = 204;
  private server!: Server;
  port = 0;

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (this.status === 0) return void req.socket.destroy();
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
        res.writeHead(this.status).end();
      });
    });
    await new Promise<void>((done) => this.server.listen(port, '127.0.0.1', done));
    this.port = (this.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((done) => this.server.close(() => done()));
  }

  of(eventId: string) {
    return this.received.filter((r) => r.headers['webhook-id'] === eventId);
  }
}

async function startApp(infra: IntegrationEnv, receiver: Receiver, attempts: number) {
  const module = await Test.createTestingModule({
    imports: [
      AppModule.forRoot(
        loadAccountConfig({
          ...infra.env,
          PUBLIC_URL,
          SECURITY_EVENTS_WEBHOOK_URL: `http://127.0.0.1:${receiver.port}/siem/events?token=receiver-token`,
          SECURITY_EVENTS_WEBHOOK_SECRET: SECRET,
          SECURITY_EVENTS_WEBHOOK_ATTEMPTS: String(attempts),
        }),
      ),
    ],
  }).compile();
  return module.init();
}

describe('security events to a webhook (CloudEvents, Standard Webhooks)', () => {
  let infra: IntegrationEnv;
  let receiver: Receiver;
  let app: INestApplicationContext;
  let n = 0;

  beforeAll(async () => {
    infra = await createIntegrationEnv('webhook');
    receiver = new Receiver();
    await receiver.start();
    app = await startApp(infra, receiver, 15);
  });

  afterAll(async () => {
    await app?.close();
    await receiver?.stop();
    await infra?.cleanup();
  });

  const publish = async (): Promise<SecurityEvent> => {
    n += 1;
    const { account, user } = await app.get(AccountsService).signUp(
      {
        accountName: `Siem ${n}`,
        login: `siem-${n}`,
        email: `siem-${n}@example.com`,
        password: 'correct horse battery staple',
      },
      null,
    );
    return app.get(SecurityEventPublisher).publish(
      {
        type: 'recovery_code.used',
        accountId: account.id,
        actorId: user.id,
        subjectId: user.id,
        details: { remaining: 3 },
      },
      null,
    );
  };

  it('POSTs each event once as a structured CloudEvent, signed per Standard Webhooks', async () => {
    const event = await publish();
    const [delivery] = await eventually(() =>
      receiver.of(event.eventId).length > 0 ? receiver.of(event.eventId) : undefined,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.of(event.eventId)).toHaveLength(1);

    expect(delivery.headers['content-type']).toMatch(/^application\/cloudevents\+json/);
    expect(() =>
      new Webhook(SECRET).verify(delivery.body, delivery.headers as Record<string, string>),
    ).not.toThrow();
    expect(() =>
      new Webhook(SECRET).verify(
        delivery.body.replace('"remaining":3', '"remaining":4'),
        delivery.headers as Record<string, string>,
      ),
    ).toThrow();
    expect(JSON.parse(delivery.body)).toEqual({
      specversion: '1.0',
      id: event.eventId,
      type: 'twofold.recovery_code.used',
      source: PUBLIC_URL,
      time: event.occurredAt,
      subject: event.subjectId,
      datacontenttype: 'application/json',
      data: {
        accountId: event.accountId,
        actorId: event.actorId,
        subjectId: event.subjectId,
        ip: null,
        userAgent: null,
        requestId: null,
        details: { remaining: 3 },
      },
    });
    // Counted once where it is recorded, a retried job or a duplicate not again.
    expect(
      await app
        .get(MetricsService)
        .registry.getSingleMetricAsString('twofold_security_events_recorded_total'),
    ).toMatch(/type="recovery_code.used"} 1$/m);
    // The sign-up's own events (account.created, …) go too.
    expect(receiver.received.map((r) => (JSON.parse(r.body) as { type: string }).type)).toContain(
      'twofold.account.created',
    );
  });

  it('keeps every event through a receiver outage and delivers it later under the same webhook-id', async () => {
    receiver.status = 503;
    const refused = await publish();
    await eventually(() => (receiver.of(refused.eventId).length >= 2 ? true : undefined));
    receiver.status = 0; // now no answer at all
    const unanswered = await publish();
    await new Promise((r) => setTimeout(r, 3_000));
    expect(receiver.of(unanswered.eventId)).toHaveLength(0);

    receiver.status = 204;
    for (const event of [refused, unanswered]) {
      await eventually(
        () =>
          receiver.received.some(
            (r) => r.headers['webhook-id'] === event.eventId && r.body.includes('"remaining"'),
          )
            ? true
            : undefined,
        60_000,
      );
    }
    const attempts = receiver.of(refused.eventId);
    expect(new Set(attempts.map((a) => (JSON.parse(a.body) as { id: string }).id))).toEqual(
      new Set([refused.eventId]),
    );
    for (const attempt of attempts)
      expect(() =>
        new Webhook(SECRET).verify(attempt.body, attempt.headers as Record<string, string>),
      ).not.toThrow();
    const metrics = await app
      .get(MetricsService)
      .registry.getSingleMetricAsString('twofold_security_events_webhook_deliveries_total');
    expect(metrics).toMatch(/outcome="refused"} [1-9]/);
    expect(metrics).toMatch(/outcome="unreachable"} [1-9]/);
  });

  describe('a receiver that keeps failing', () => {
    let failing: INestApplicationContext;
    let ownInfra: IntegrationEnv;
    const down = new Receiver();

    beforeAll(async () => {
      ownInfra = await createIntegrationEnv('webhook-down');
      await down.start();
      down.status = 500;
      failing = await startApp(ownInfra, down, 2);
    });

    afterAll(async () => {
      await failing?.close();
      await down.stop();
      await ownInfra?.cleanup();
    });

    it('shows in the metrics and in `jobs failed`, and is delivered when run again', async () => {
      const { account, user } = await failing.get(AccountsService).signUp(
        {
          accountName: 'Siem down',
          login: 'siem-down',
          email: 'siem-down@example.com',
          password: 'correct horse battery staple',
        },
        null,
      );
      const event = await failing.get(SecurityEventPublisher).publish(
        {
          type: 'recovery_code.used',
          accountId: account.id,
          actorId: user.id,
          subjectId: user.id,
          details: { remaining: 2 },
        },
        null,
      );
      const operator = failing.get(OperatorService);
      const failed = await eventually(async () => {
        const { jobs } = await operator.listFailedJobs();
        return jobs.find((j) => j.id === `webhook-${event.eventId}`);
      }, 30_000);
      expect(failed).toMatchObject({
        queue: 'security-events-webhook',
        type: 'recovery_code.used',
        attempts: 2,
        failedReason: 'the webhook answered 500',
      });
      const metrics = await failing.get(MetricsService).registry.metrics();
      expect(metrics).toMatch(/twofold_security_events_webhook_deliveries_total\{outcome="gave_up"} [1-9]/);
      expect(metrics).toMatch(/twofold_security_events_webhook_jobs\{state="failed"} [1-9]/);
      expect(metrics).not.toContain('receiver-token');

      down.status = 200;
      await operator.retryFailedJobs([failed.id]);
      await eventually(async () => {
        const { jobs } = await operator.listFailedJobs();
        return down.of(event.eventId).length >= 3 && !jobs.some((j) => j.id === failed.id) ? true : undefined;
      }, 30_000);
      expect(down.of(event.eventId)).toHaveLength(3);
    });
  });
});
