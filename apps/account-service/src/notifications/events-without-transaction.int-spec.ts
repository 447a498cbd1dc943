import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { SECURITY_EVENTS_QUEUE } from '@twofold/contracts';
import { SecurityEventPublisher } from '@twofold/platform';
import {
  createIntegrationEnv,
  eventually,
  type IntegrationEnv,
  PrivatePostgres,
  PrivateRedis,
} from '@twofold/testing';
import { type Queue } from 'bullmq';
import { type DataSource } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import { AppModule } from '../app.module';
import { loadAccountConfig } from '../config/account-config';

jest.setTimeout(90_000);

/**
 * Events that report a change kept outside PostgreSQL (sessions ended: a stamp in Redis) belong
 * to no transaction. While PostgreSQL is down they go straight to the queue; while Redis is down
 * too they wait in the process. Either way: one audit entry once everything is back.
 */
describe('security events of no transaction while PostgreSQL is down', () => {
  let infra: IntegrationEnv;
  let postgres: PrivatePostgres;
  let redis: PrivateRedis;
  let app: INestApplicationContext;
  let accountId: string;
  let ownerId: string;

  beforeAll(async () => {
    infra = await createIntegrationEnv('events_no_tx');
    [postgres, redis] = await Promise.all([PrivatePostgres.start(), PrivateRedis.start()]);
    const module = await Test.createTestingModule({
      imports: [
        AppModule.forRoot(
          loadAccountConfig({
            ...infra.env,
            DATABASE_URL: postgres.url,
            REDIS_URL: redis.url,
            REDIS_CLUSTER_NODES: '',
          }),
        ),
      ],
    }).compile();
    app = await module.init();
    const { account, user } = await app.get(AccountsService).signUp(
      {
        accountName: 'No transaction',
        login: 'no-tx',
        email: 'no-tx@example.com',
        password: 'correct horse battery staple',
      },
      null,
    );
    accountId = account.id;
    ownerId = user.id;
  });

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await redis?.stop();
    postgres?.close();
    await infra?.cleanup();
  });

  const auditEntries = async (eventId: string): Promise<number> =>
    Number(
      (
        await app
          .get<DataSource>(getDataSourceToken())
          .query<{ count: string }[]>('SELECT count(*) FROM account.audit_events WHERE id = $1', [eventId])
      )[0].count,
    );
  const sessionsEnded = (eventId: string) =>
    app.get(SecurityEventPublisher).emit(
      {
        eventId,
        type: 'sessions.ended',
        accountId,
        actorId: ownerId,
        subjectId: ownerId,
        details: { everywhereElse: true },
      },
      null,
    );

  it('goes straight to the queue while PostgreSQL is down, and is audited once when it is back', async () => {
    const eventId = randomUUID();
    postgres.stop();

    await sessionsEnded(eventId);

    const queue = app.get<Queue>(getQueueToken(SECURITY_EVENTS_QUEUE));
    expect(await queue.getJob(eventId)).toBeDefined();
    await postgres.start();
    await eventually(
      async () => ((await auditEntries(eventId).catch(() => 0)) === 1 ? true : undefined),
      60_000,
    );
  });

  it('waits in the process while PostgreSQL and Redis are both down, and is audited once when they are back', async () => {
    const eventId = randomUUID();
    postgres.stop();
    await redis.stop();

    await sessionsEnded(eventId);

    await redis.start();
    await postgres.start();
    await eventually(
      async () => ((await auditEntries(eventId).catch(() => 0)) === 1 ? true : undefined),
      60_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await auditEntries(eventId)).toBe(1);
  });
});
