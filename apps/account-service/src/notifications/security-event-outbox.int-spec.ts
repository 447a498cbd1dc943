import { type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { MetricsService, SecurityEventOutbox, SecurityEventPublisher } from '@twofold/platform';
import { createIntegrationEnv, eventually, type IntegrationEnv, PrivateRedis } from '@twofold/testing';
import { type DataSource } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import { AppModule } from '../app.module';
import { loadAccountConfig } from '../config/account-config';

jest.setTimeout(60_000);

describe('security events during a Redis outage', () => {
  let infra: IntegrationEnv;
  let redis: PrivateRedis;
  let app: INestApplicationContext;

  beforeAll(async () => {
    infra = await createIntegrationEnv('outbox');
    redis = await PrivateRedis.start();
    const module = await Test.createTestingModule({
      imports: [
        AppModule.forRoot(loadAccountConfig({ ...infra.env, REDIS_URL: redis.url, REDIS_CLUSTER_NODES: '' })),
      ],
    }).compile();
    app = await module.init();
  });

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await redis?.stop();
    await infra?.cleanup();
  });

  const auditEntries = async (accountId: string, type: string): Promise<number> =>
    Number(
      (
        await app
          .get<DataSource>(getDataSourceToken())
          .query<{ count: string }[]>(
            'SELECT count(*) FROM account.audit_events WHERE account_id = $1 AND type = $2',
            [accountId, type],
          )
      )[0].count,
    );

  it('answers the sign-up at once, keeps its event, and relays it once Redis is back: one audit entry', async () => {
    await redis.stop();

    const started = Date.now();
    const { account } = await app.get(AccountsService).signUp(
      {
        accountName: 'Outage',
        login: 'outage',
        email: 'outage@example.com',
        password: 'correct horse battery staple',
      },
      null,
    );
    const waited = Date.now() - started;

    expect(waited).toBeLessThan(4_000);
    const outbox = app.get(SecurityEventOutbox);
    expect(await outbox.size()).toBe(1);
    // Operators see it, and the scrape does not hang on the missing Redis.
    expect(await app.get(MetricsService).registry.metrics()).toMatch(/^twofold_security_events_outbox 1$/m);

    await redis.start();
    await eventually(
      async () => ((await outbox.relay()) >= 0 && (await outbox.size()) === 0 ? true : undefined),
      20_000,
    );
    await eventually(
      async () => ((await auditEntries(account.id, 'account.created')) === 1 ? true : undefined),
      20_000,
    );
    // The late original (ioredis replays what it buffered) and the relayed copy are one job.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await auditEntries(account.id, 'account.created')).toBe(1);
  });

  it('keeps an event only if the transaction of its change commits', async () => {
    const { account, user: owner } = await app.get(AccountsService).signUp(
      {
        accountName: 'Rollback',
        login: 'rollback',
        email: 'rollback@example.com',
        password: 'correct horse battery staple',
      },
      null,
    );
    const dataSource = app.get<DataSource>(getDataSourceToken());
    const publisher = app.get(SecurityEventPublisher);
    const event = {
      type: 'password.changed' as const,
      accountId: account.id,
      actorId: owner.id,
      subjectId: owner.id,
      details: {},
    };

    await expect(
      dataSource.transaction(async (tx) => {
        await publisher.emit(event, null, tx);
        throw new Error('the change failed after its event');
      }),
    ).rejects.toThrow('the change failed');
    await dataSource.transaction((tx) => publisher.emit(event, null, tx));

    await eventually(
      async () => ((await auditEntries(account.id, 'password.changed')) === 1 ? true : undefined),
      20_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // a poll of the relay
    expect(await auditEntries(account.id, 'password.changed')).toBe(1);
    expect(await app.get(SecurityEventOutbox).size()).toBe(0);
  });
});
