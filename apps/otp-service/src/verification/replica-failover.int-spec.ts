import { type INestApplicationContext } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { MetricsService } from '@twofold/platform';
import {
  createIntegrationEnv,
  domainErrorOf,
  eventually,
  type IntegrationEnv,
  RedisCluster,
  TestClock,
} from '@twofold/testing';
import { Redis } from 'ioredis';
import { type DataSource } from 'typeorm';
import { enrolledMember, type EnrolledMember, startOtpService } from '../testing/otp-service.harness';
import { VerificationService } from './verification.service';

jest.setTimeout(90_000);

/**
 * The replay window across a Redis failover. Redis replicates asynchronously: a master that
 * fails just after accepting a code can hand its slots to a replica that never saw the
 * acceptance. A code counts only once a replica holds it (WAIT), or once its step is recorded in
 * PostgreSQL when none confirms in time.
 */
describe('the replay window on a Redis Cluster, across a failover', () => {
  let infra: IntegrationEnv;
  let cluster: RedisCluster;
  let app: INestApplicationContext;
  const clock = new TestClock(new Date('2026-12-03T10:00:05Z'));

  beforeAll(async () => {
    infra = await createIntegrationEnv('otp_failover');
    cluster = await RedisCluster.start(3, 1);
    app = await startOtpService(
      // Masters are trusted to confirm a second after they are first seen (see ReplicaWaits).
      { ...infra.env, REDIS_CLUSTER_NODES: cluster.nodeList, OTP_ACCEPT_NEW_MASTER_SECONDS: '1' },
      clock,
    );
    await new Promise((r) => setTimeout(r, 1_100));
  });

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await cluster?.close();
    await infra?.cleanup();
  });

  const verify = (member: EnrolledMember, code: string) =>
    app.get(VerificationService).verify({ memberId: member.memberId, code }, null);

  /** The key of the member's replay window (and attempt counters), as written to Redis. */
  const windowKey = async (member: EnrolledMember): Promise<string> => {
    const [{ id }] = await app
      .get<DataSource>(getDataSourceToken())
      .query<{ id: string }[]>('SELECT id FROM otp.credentials WHERE member_id = $1', [member.memberId]);
    return `${infra.prefix}otp:attempts:${id}`;
  };
  /** The master (its port) holding the member's replay window. */
  const masterOfWindow = async (member: EnrolledMember): Promise<number> =>
    cluster.masterOf(await windowKey(member));
  const forgetWindow = async (member: EnrolledMember): Promise<void> => {
    const raw = new Redis(await masterOfWindow(member), '127.0.0.1');
    try {
      expect(await raw.del(await windowKey(member))).toBe(1);
    } finally {
      raw.disconnect();
    }
  };

  /** Verifies until the cluster answers (its slots move during a failover) and returns the answer. */
  const verifyOnceServed = (member: EnrolledMember, code: string) =>
    eventually(
      async () => {
        const error = await domainErrorOf(verify(member, code)).catch(() => undefined);
        if (error?.code === 'service_unavailable') return undefined;
        return error?.code ?? 'accepted';
      },
      30_000,
      'the failed-over slots to answer',
    );

  const unreplicatedAccepts = async (): Promise<number> => {
    const metrics = await app
      .get(MetricsService)
      .registry.getSingleMetricAsString('twofold_otp_unreplicated_accepts_total');
    return Number(/ (\d+)$/m.exec(metrics)?.[1] ?? NaN);
  };

  it('refuses a code accepted just before its master died: the promoted replica holds the window', async () => {
    const member = await enrolledMember(app, clock);
    clock.advance(30_000);
    const code = member.code();
    await verify(member, code);
    const before = await unreplicatedAccepts();

    const master = await masterOfWindow(member);
    const [replica] = await cluster.replicasOf(master);
    await cluster.kill(master);
    await eventually(async () => ((await cluster.isMaster(replica)) ? true : undefined), 20_000);
    await cluster.healthy();

    expect(await verifyOnceServed(member, code)).toBe('code_already_used');
    // The replica confirmed the acceptance: no fallback write was needed.
    expect(await unreplicatedAccepts()).toBe(before);
    await cluster.start(master); // rejoins as a replica of the promoted one
    await cluster.healthy();
  });

  it('records the step in PostgreSQL when no replica confirms it, and refuses it after Redis forgot', async () => {
    const member = await enrolledMember(app, clock);
    clock.advance(30_000);
    const master = await masterOfWindow(member);
    const replicas = await cluster.replicasOf(master);
    for (const replica of replicas) await cluster.kill(replica);
    const before = await unreplicatedAccepts();
    const code = member.code();

    await verify(member, code);

    expect(await unreplicatedAccepts()).toBe(before + 1);
    // A failover to a replica that never saw the acceptance is a window without it.
    await forgetWindow(member);
    expect((await domainErrorOf(verify(member, code))).code).toBe('code_already_used');
    // …and so is the code of the step before it, still inside the window.
    await forgetWindow(member);
    expect((await domainErrorOf(verify(member, member.code(-1)))).code).toBe('code_already_used');
    // The next step's code is the member's to use.
    clock.advance(30_000);
    await expect(verify(member, member.code())).resolves.toBeDefined();
    for (const replica of replicas) await cluster.start(replica);
    await cluster.healthy();
  });
});
