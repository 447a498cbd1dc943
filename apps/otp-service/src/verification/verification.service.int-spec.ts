import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import {
  base32Decode,
  createIntegrationEnv,
  deleteTestKeys,
  domainErrorOf,
  PrivateRedis,
  type IntegrationEnv,
  TestClock,
  testRedis,
  totpReference,
} from '@twofold/testing';
import { AuditRpc, type AuditOnlyEvent } from '@twofold/contracts';
import { type Redis } from 'ioredis';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import { CredentialsRepository } from '../credentials/credentials.repository';
import { RecoveryCodesRepository } from '../recovery-codes/recovery-codes.repository';
import { EnrollmentService } from '../enrollment/enrollment.service';
import { TwoFactorService } from '../two-factor/two-factor.service';
import { enrolledMember, eventsFor, startOtpService } from '../testing/otp-service.harness';
import { ActiveCredentials } from './active-credentials';
import { SecondFactorAudit } from './second-factor-audit';
import { VerificationService } from './verification.service';

const wrongCode = (right: string): string => String((Number(right) + 500_000) % 1_000_000).padStart(6, '0');

describe(VerificationService.name, () => {
  let infra: IntegrationEnv;
  let app: INestApplicationContext;
  let verification: VerificationService;
  const clock = new TestClock(new Date('2026-11-28T10:00:05Z'));

  beforeAll(async () => {
    infra = await createIntegrationEnv('otp_verification');
    app = await startOtpService(infra.env, clock);
    verification = app.get(VerificationService);
  });

  afterAll(async () => {
    await app?.close();
    await infra?.cleanup();
  });

  beforeEach(() => clock.advance(3600_000));

  describe('verify with a TOTP code', () => {
    it.each([
      ['the current step', 0],
      ['the previous step', -1],
      ['the next step', 1],
    ])('accepts a code of %s (clock drift)', async (_name, offset) => {
      const member = await enrolledMember(app, clock);
      clock.advance(90_000);

      expect(
        await verification.verify({ memberId: member.memberId, code: member.code(offset) }, null),
      ).toEqual({
        method: 'totp',
        recoveryCodesRemaining: null,
      });
    });

    it('refuses a code two steps away', async () => {
      const member = await enrolledMember(app, clock);
      clock.advance(60_000);

      expect(
        (await domainErrorOf(verification.verify({ memberId: member.memberId, code: member.code(-2) }, null)))
          .code,
      ).toBe('invalid_code');
      expect(
        (await domainErrorOf(verification.verify({ memberId: member.memberId, code: member.code(2) }, null)))
          .code,
      ).toBe('invalid_code');
    });

    it('rejects a code already used in the same step', async () => {
      const member = await enrolledMember(app, clock);
      clock.advance(30_000);
      await verification.verify({ memberId: member.memberId, code: member.code() }, null);

      const error = await domainErrorOf(
        verification.verify({ memberId: member.memberId, code: member.code() }, null),
      );

      expect(error.code).toBe('code_already_used');
    });

    it('rejects an older step once a newer one was accepted', async () => {
      const member = await enrolledMember(app, clock);
      clock.advance(60_000);
      await verification.verify({ memberId: member.memberId, code: member.code(1) }, null);

      const error = await domainErrorOf(
        verification.verify({ memberId: member.memberId, code: member.code() }, null),
      );

      expect(error.code).toBe('code_already_used');
    });

    it('accepts exactly one of many concurrent uses of one code', async () => {
      const member = await enrolledMember(app, clock);
      clock.advance(30_000);

      const results = await Promise.allSettled(
        Array.from({ length: 30 }, () =>
          verification.verify({ memberId: member.memberId, code: member.code() }, null),
        ),
      );

      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });

    it('answers two_factor_not_enabled for a member without 2FA', async () => {
      const pending = await enrolledMember(app, clock, false);

      expect(
        (await domainErrorOf(verification.verify({ memberId: pending.memberId, code: pending.code() }, null)))
          .code,
      ).toBe('two_factor_not_enabled');
    });

    it('refuses something that is neither a code nor a recovery code, without counting it', async () => {
      const member = await enrolledMember(app, clock);
      for (let i = 0; i < 10; i += 1) {
        expect(
          (await domainErrorOf(verification.verify({ memberId: member.memberId, code: 'hello' }, null))).code,
        ).toBe('validation_failed');
      }
      clock.advance(30_000);

      expect(
        (await verification.verify({ memberId: member.memberId, code: member.code() }, null)).method,
      ).toBe('totp');
    });
  });

  describe('the audit of second factors', () => {
    /** account-service's side of AuditRpc.record, on the real NATS: what arrives, answered as it would be. */
    let audited: AuditOnlyEvent[] = [];
    let nc: NatsConnection;
    beforeAll(async () => {
      nc = await connect({ servers: infra.natsUrl });
      await answerAsAccountService(nc);
    });
    afterAll(() => nc?.drain());
    beforeEach(() => {
      audited = [];
    });
    const of = (memberId: string) => audited.filter((e) => e.subjectId === memberId);
    const packets = JSONCodec<{ id: string; data: { events: AuditOnlyEvent[] } }>();
    async function answerAsAccountService(conn: NatsConnection): Promise<void> {
      conn.subscribe(`${infra.env.NATS_SUBJECT_PREFIX ?? ''}${AuditRpc.record.subject}`, {
        callback: (_error, msg) => {
          const { id, data } = packets.decode(msg.data);
          audited.push(...data.events);
          msg.respond(
            JSONCodec().encode({ id, response: { recorded: data.events.length }, isDisposed: true }),
          );
        },
      });
      await conn.flush();
    }

    it('records each accepted code, and a minute of refused ones as one entry with their count', async () => {
      const member = await enrolledMember(app, clock);
      clock.advance(30_000);
      const from = { requestId: 'r-audit', ip: '203.0.113.7', userAgent: null };
      await verification.verify({ memberId: member.memberId, code: member.code() }, from);
      for (let i = 0; i < 3; i += 1) {
        await domainErrorOf(
          verification.verify({ memberId: member.memberId, code: wrongCode(member.code()) }, from),
        );
      }
      await domainErrorOf(verification.verify({ memberId: member.memberId, code: member.code() }, from));

      // What the audit holds back (successes for a moment, failures until their minute ends) goes at shutdown.
      await app.get(SecondFactorAudit).drain();

      expect(of(member.memberId).map((e) => [e.type, e.details, e.ip, e.accountId])).toEqual([
        ['second_factor.succeeded', { method: 'totp' }, '203.0.113.7', member.accountId],
        [
          'second_factor.failed',
          {
            failures: 4,
            from: expect.stringMatching(/:00\.000Z$/) as unknown,
            to: expect.stringMatching(/:00\.000Z$/) as unknown,
          },
          '203.0.113.7',
          member.accountId,
        ],
      ]);
    });

    it('writes one summary a minute, however many refused attempts race', async () => {
      const member = await enrolledMember(app, clock);
      clock.advance(30_000);
      await Promise.all(
        Array.from({ length: 12 }, () =>
          domainErrorOf(
            verification.verify({ memberId: member.memberId, code: wrongCode(member.code()) }, null),
          ),
        ),
      );

      await app.get(SecondFactorAudit).drain();
      const failed = of(member.memberId).filter((e) => e.type === 'second_factor.failed');

      expect(failed).toHaveLength(1);
      expect(failed[0]?.details).toMatchObject({ failures: 12 });
    });

    it('sends a batch again when account-service did not take it', async () => {
      const member = await enrolledMember(app, clock);
      clock.advance(30_000);
      const unanswered = await connect({ servers: infra.natsUrl });
      await nc.drain();
      await verification.verify({ memberId: member.memberId, code: member.code() }, null);
      await app.get(SecondFactorAudit).drain();
      expect(of(member.memberId)).toEqual([]);

      nc = unanswered;
      await answerAsAccountService(nc);
      // On a NATS cluster the new subscription reaches the other nodes a moment later: try again until then.
      for (let i = 0; i < 50 && of(member.memberId).length === 0; i += 1) {
        await app.get(SecondFactorAudit).drain();
        if (of(member.memberId).length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }

      expect(of(member.memberId).map((e) => e.type)).toEqual(['second_factor.succeeded']);
    });
  });

  describe('a relayed code (phished and replayed by another sign-in)', () => {
    const from = (ip: string) => ({ requestId: `r-${ip}`, ip, userAgent: null });
    const relaysOf = async (memberId: string) =>
      (await eventsFor(app, memberId)).filter((e) => e.type === 'second_factor.replay_detected');

    it('is refused as a replay and reported once per step, with both addresses', async () => {
      const member = await enrolledMember(app, clock);
      clock.advance(30_000);
      await verification.verify({ memberId: member.memberId, code: member.code() }, from('198.51.100.1'));

      for (const ip of ['203.0.113.9', '203.0.113.10']) {
        const error = await domainErrorOf(
          verification.verify({ memberId: member.memberId, code: member.code() }, from(ip)),
        );
        expect(error.code).toBe('code_already_used');
      }

      const relays = await relaysOf(member.memberId);
      expect(relays.map((e) => e.details)).toEqual([
        { acceptedFrom: '198.51.100.1', replayedFrom: '203.0.113.9' },
      ]);
      // The next step's code, accepted and relayed, is reported again.
      clock.advance(30_000);
      await verification.verify({ memberId: member.memberId, code: member.code() }, from('198.51.100.1'));
      await domainErrorOf(
        verification.verify({ memberId: member.memberId, code: member.code() }, from('203.0.113.9')),
      );
      expect(await relaysOf(member.memberId)).toHaveLength(2);
    });

    it('is not what an older code is, nor a member testing the code just used', async () => {
      const member = await enrolledMember(app, clock);
      clock.advance(60_000);
      await verification.verify({ memberId: member.memberId, code: member.code(1) }, from('198.51.100.1'));
      expect(
        (
          await domainErrorOf(
            verification.verify({ memberId: member.memberId, code: member.code() }, from('203.0.113.9')),
          )
        ).code,
      ).toBe('code_already_used');
      expect(
        await verification.test({ memberId: member.memberId, code: member.code(1) }, from('198.51.100.1')),
      ).toEqual({ valid: false });

      expect(await relaysOf(member.memberId)).toEqual([]);
    });
  });

  describe('verify with a recovery code', () => {
    it('accepts it in any case and spacing, burns it, and reports the codes left', async () => {
      const member = await enrolledMember(app, clock);
      const code = member.recoveryCodes[0];

      const first = await verification.verify(
        {
          memberId: member.memberId,
          code: ` ${code.toLowerCase().replace(/-/g, ' ')} `,
        },
        null,
      );
      const again = await domainErrorOf(verification.verify({ memberId: member.memberId, code }, null));

      expect(first).toEqual({ method: 'recovery_code', recoveryCodesRemaining: 3 });
      expect(again.code).toBe('invalid_code');
      expect((await app.get(TwoFactorService).status(member.memberId)).recoveryCodesRemaining).toBe(3);
    });

    it('reports its use, and that codes are running low at one left', async () => {
      const member = await enrolledMember(app, clock);

      for (const code of member.recoveryCodes.slice(0, 3))
        await verification.verify({ memberId: member.memberId, code }, null);

      // The test clock stands still, so events of one instant are compared as a set.
      const events = (await eventsFor(app, member.memberId)).filter((e) =>
        e.type.startsWith('recovery_code'),
      );
      const described = events.map((e) => [
        e.type,
        'remaining' in e.details ? e.details.remaining : undefined,
      ]);
      const order = (a: unknown[], b: unknown[]): number =>
        JSON.stringify(a).localeCompare(JSON.stringify(b));
      expect(described.sort(order)).toEqual([
        ['recovery_code.used', 1],
        ['recovery_code.used', 2],
        ['recovery_code.used', 3],
        ['recovery_codes.low', 1],
      ]);
      expect(new Set(events.map((e) => e.eventId)).size).toBe(4);
    });

    it('lets exactly one of 20 concurrent uses of the same code succeed', async () => {
      const member = await enrolledMember(app, clock);
      const code = member.recoveryCodes[1];

      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () => verification.verify({ memberId: member.memberId, code }, null)),
      );

      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await app.get(TwoFactorService).status(member.memberId)).recoveryCodesRemaining).toBe(3);
    });

    it('does not accept another member’s code', async () => {
      const alice = await enrolledMember(app, clock);
      const bob = await enrolledMember(app, clock);

      expect(
        (
          await domainErrorOf(
            verification.verify({ memberId: bob.memberId, code: alice.recoveryCodes[0] }, null),
          )
        ).code,
      ).toBe('invalid_code');
    });

    it('stops working once the codes are regenerated', async () => {
      const member = await enrolledMember(app, clock);
      const { recoveryCodes } = await app
        .get(TwoFactorService)
        .regenerateRecoveryCodes(member.memberId, null);

      expect(
        (
          await domainErrorOf(
            verification.verify({ memberId: member.memberId, code: member.recoveryCodes[0] }, null),
          )
        ).code,
      ).toBe('invalid_code');
      expect(
        (await verification.verify({ memberId: member.memberId, code: recoveryCodes[0] }, null))
          .recoveryCodesRemaining,
      ).toBe(3);
    });
  });

  describe('test', () => {
    it('answers valid for the current code and invalid for a wrong one', async () => {
      const member = await enrolledMember(app, clock);
      clock.advance(30_000);

      expect(
        await verification.test({ memberId: member.memberId, code: wrongCode(member.code()) }, null),
      ).toEqual({
        valid: false,
      });
      expect(await verification.test({ memberId: member.memberId, code: member.code() }, null)).toEqual({
        valid: true,
      });
      expect(await verification.test({ memberId: member.memberId, code: member.code() }, null)).toEqual({
        valid: false,
      });
    });
  });

  describe('checkRecoveryCode', () => {
    const check = (memberId: string, code: string) =>
      verification.checkRecoveryCode({ memberId, code }, null);
    const status = (memberId: string) => app.get(TwoFactorService).status(memberId);

    it('answers valid for an unused code, which stays usable for a sign-in and leaves the count as it was', async () => {
      const member = await enrolledMember(app, clock);
      const code = member.recoveryCodes[2];

      expect(await check(member.memberId, code.toLowerCase())).toEqual({ valid: true });
      expect(await check(member.memberId, code)).toEqual({ valid: true });
      expect((await status(member.memberId)).recoveryCodesRemaining).toBe(4);
      expect(await verification.verify({ memberId: member.memberId, code }, null)).toEqual({
        method: 'recovery_code',
        recoveryCodesRemaining: 3,
      });
    });

    it('answers invalid for a used code, a wrong one and another member’s', async () => {
      const member = await enrolledMember(app, clock);
      const other = await enrolledMember(app, clock);
      await verification.verify({ memberId: member.memberId, code: member.recoveryCodes[0] }, null);

      expect(await check(member.memberId, member.recoveryCodes[0])).toEqual({ valid: false });
      expect(await check(member.memberId, 'ZZZZ-ZZZZ-ZZZZ')).toEqual({ valid: false });
      expect(await check(member.memberId, other.recoveryCodes[0])).toEqual({ valid: false });
      expect((await status(member.memberId)).recoveryCodesRemaining).toBe(3);
    });

    it('counts wrong ones toward the back-off like wrong codes tested: then even a right one waits', async () => {
      const member = await enrolledMember(app, clock);
      clock.advance(30_000);
      for (let i = 0; i < 3; i += 1) {
        expect(await check(member.memberId, `ZZZZ-ZZZZ-ZZZ${i}`)).toEqual({ valid: false });
      }
      for (let i = 0; i < 2; i += 1) {
        expect(
          await verification.test({ memberId: member.memberId, code: wrongCode(member.code()) }, null),
        ).toEqual({ valid: false });
      }

      const waiting = await domainErrorOf(check(member.memberId, member.recoveryCodes[0]));
      const signIn = await domainErrorOf(
        verification.verify({ memberId: member.memberId, code: member.code() }, null),
      );

      expect([waiting.code, signIn.code]).toEqual(['too_many_attempts', 'too_many_attempts']);
      expect(waiting.retryAfterSeconds).toBe(1);
      expect((await domainErrorOf(check(member.memberId, 'ZZZZ-ZZZZ-ZZZZ'))).code).toBe('too_many_attempts');
      clock.advance(1000);
      expect(await check(member.memberId, member.recoveryCodes[0])).toEqual({ valid: true });
    });

    it('does not reset the count with a right one (it can be checked again and again)', async () => {
      const member = await enrolledMember(app, clock);
      for (let i = 0; i < 4; i += 1) await check(member.memberId, `ZZZZ-ZZZZ-ZZZ${i}`);

      expect(await check(member.memberId, member.recoveryCodes[1])).toEqual({ valid: true });
      expect(await check(member.memberId, 'ZZZZ-ZZZZ-ZZZZ')).toEqual({ valid: false });
      expect((await domainErrorOf(check(member.memberId, member.recoveryCodes[1]))).code).toBe(
        'too_many_attempts',
      );
    });

    it('answers at most five of a burst of parallel wrong guesses: the rest wait, unanswered', async () => {
      const member = await enrolledMember(app, clock);
      const guesses = [
        ...Array.from({ length: 30 }, (_, i) => `ZZZZ-ZZZZ-Z${String(i).padStart(3, '0')}`),
        member.recoveryCodes[3],
      ];

      const answers = await Promise.all(
        guesses.map((code) =>
          check(member.memberId, code).then(
            ({ valid }) => (valid ? 'valid' : 'invalid'),
            (error: { code: string }) => error.code,
          ),
        ),
      );

      // Each wrong answer was counted; past the fifth, right and wrong alike wait.
      expect(answers.filter((a) => a === 'invalid')).toHaveLength(5);
      expect(
        answers.filter((a) => a !== 'invalid' && a !== 'valid').every((a) => a === 'too_many_attempts'),
      ).toBe(true);
    });

    it('answers a right code overtaken by the guesses that start a back-off as it would a wrong one', async () => {
      const member = await enrolledMember(app, clock);
      const repository = app.get(RecoveryCodesRepository);
      const lookUp = repository.markChecked.bind(repository);
      let found!: () => void;
      let release!: () => void;
      const lookedUp = new Promise<void>((resolve) => (found = resolve));
      const overtaken = new Promise<void>((resolve) => (release = resolve));
      jest.spyOn(repository, 'markChecked').mockImplementationOnce(async (...args) => {
        const valid = await lookUp(...args);
        found();
        await overtaken;
        return valid;
      });

      const right = domainErrorOf(check(member.memberId, member.recoveryCodes[0]));
      await lookedUp;
      for (let i = 0; i < 5; i += 1) await check(member.memberId, `ZZZZ-ZZZZ-ZZZ${i}`);
      release();

      expect((await right).code).toBe('too_many_attempts');
      expect((await status(member.memberId)).recoveryCodesLastCheckedAt).toBeNull();
    });

    it('refuses anything but a recovery code without counting it', async () => {
      const member = await enrolledMember(app, clock);
      for (let i = 0; i < 10; i += 1) {
        expect((await domainErrorOf(check(member.memberId, member.code()))).code).toBe('validation_failed');
      }

      expect(await check(member.memberId, member.recoveryCodes[0])).toEqual({ valid: true });
    });

    it('answers two_factor_not_enabled for a member without 2FA', async () => {
      const pending = await enrolledMember(app, clock, false);

      expect((await domainErrorOf(check(pending.memberId, pending.recoveryCodes[0]))).code).toBe(
        'two_factor_not_enabled',
      );
    });

    it('audits each counted check with its outcome', async () => {
      const member = await enrolledMember(app, clock);
      await check(member.memberId, member.recoveryCodes[0]);
      await check(member.memberId, 'ZZZZ-ZZZZ-ZZZZ');
      await domainErrorOf(check(member.memberId, '123456'));

      const checked = (await eventsFor(app, member.memberId)).filter(
        (e) => e.type === 'recovery_codes.checked',
      );
      expect(
        checked.map((e) => e.details).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      ).toEqual([{ valid: false }, { valid: true }]);
      expect(checked.every((e) => e.actorId === member.memberId && e.accountId === member.accountId)).toBe(
        true,
      );
    });

    it('shows in the status when the codes were issued, last used and last checked valid', async () => {
      const member = await enrolledMember(app, clock);
      const issued = clock.now().toISOString();
      expect(await status(member.memberId)).toMatchObject({
        recoveryCodesIssuedAt: issued,
        recoveryCodesLastUsedAt: null,
        recoveryCodesLastCheckedAt: null,
      });

      clock.advance(60_000);
      const checkedAt = clock.now().toISOString();
      await check(member.memberId, member.recoveryCodes[0]);
      clock.advance(60_000);
      await check(member.memberId, 'ZZZZ-ZZZZ-ZZZZ');
      expect(await status(member.memberId)).toMatchObject({
        recoveryCodesIssuedAt: issued,
        recoveryCodesLastUsedAt: null,
        recoveryCodesLastCheckedAt: checkedAt,
      });

      clock.advance(60_000);
      const usedAt = clock.now().toISOString();
      await verification.verify({ memberId: member.memberId, code: member.recoveryCodes[1] }, null);
      expect(await status(member.memberId)).toMatchObject({
        recoveryCodesLastUsedAt: usedAt,
        recoveryCodesLastCheckedAt: checkedAt,
      });

      clock.advance(60_000);
      const reissued = clock.now().toISOString();
      await app.get(TwoFactorService).regenerateRecoveryCodes(member.memberId, null);
      expect(await status(member.memberId)).toMatchObject({
        recoveryCodesRemaining: 4,
        recoveryCodesIssuedAt: reissued,
        recoveryCodesLastUsedAt: null,
        recoveryCodesLastCheckedAt: null,
      });
    });
  });

  describe('back-off', () => {
    it('makes the member wait after 5 wrong codes in a row, whatever the next code', async () => {
      const member = await enrolledMember(app, clock);
      clock.advance(30_000);
      for (let i = 0; i < 5; i += 1) {
        await domainErrorOf(
          verification.verify({ memberId: member.memberId, code: wrongCode(member.code()) }, null),
        );
      }

      const waiting = await domainErrorOf(
        verification.verify({ memberId: member.memberId, code: member.code() }, null),
      );

      expect(waiting.code).toBe('too_many_attempts');
      expect(waiting.retryAfterSeconds).toBe(1);
      clock.advance(1000);
      expect(
        (await verification.verify({ memberId: member.memberId, code: member.code() }, null)).method,
      ).toBe('totp');
    });

    it('doubles the wait with each further failure', async () => {
      const member = await enrolledMember(app, clock);
      const wrong = (): Promise<unknown> =>
        domainErrorOf(
          verification.verify({ memberId: member.memberId, code: wrongCode(member.code()) }, null),
        );
      for (let i = 0; i < 5; i += 1) await wrong();
      const waits: number[] = [];

      for (let i = 0; i < 5; i += 1) {
        const blocked = await domainErrorOf(
          verification.verify({ memberId: member.memberId, code: member.code() }, null),
        );
        expect(blocked.code).toBe('too_many_attempts');
        waits.push(blocked.retryAfterSeconds ?? 0);
        clock.advance((blocked.retryAfterSeconds ?? 0) * 1000);
        await wrong();
      }

      expect(waits).toEqual([1, 2, 4, 8, 16]);
    });

    it('counts wrong recovery codes during the wait, and still takes a right one', async () => {
      const member = await enrolledMember(app, clock);
      clock.advance(30_000);
      for (let i = 0; i < 5; i += 1)
        await domainErrorOf(
          verification.verify({ memberId: member.memberId, code: wrongCode(member.code()) }, null),
        );

      const wrongRecovery = await domainErrorOf(
        verification.verify({ memberId: member.memberId, code: 'ZZZZ-ZZZZ-ZZZZ' }, null),
      );
      const waiting = await domainErrorOf(
        verification.verify({ memberId: member.memberId, code: member.code() }, null),
      );

      expect(wrongRecovery.code).toBe('invalid_code');
      // The 6th failure (the recovery code) doubled the wait.
      expect(waiting.code).toBe('too_many_attempts');
      expect(waiting.retryAfterSeconds).toBe(2);
      expect(
        (await verification.verify({ memberId: member.memberId, code: member.recoveryCodes[0] }, null))
          .method,
      ).toBe('recovery_code');
    });

    it('starts again from zero after a success', async () => {
      const member = await enrolledMember(app, clock);
      clock.advance(30_000);
      for (let i = 0; i < 4; i += 1)
        await domainErrorOf(
          verification.verify({ memberId: member.memberId, code: wrongCode(member.code()) }, null),
        );
      await verification.verify({ memberId: member.memberId, code: member.code() }, null);
      clock.advance(30_000);
      for (let i = 0; i < 4; i += 1)
        await domainErrorOf(
          verification.verify({ memberId: member.memberId, code: wrongCode(member.code()) }, null),
        );

      expect(
        (await verification.verify({ memberId: member.memberId, code: member.code() }, null)).method,
      ).toBe('totp');
    });
  });
  describe('clock drift', () => {
    const verify = (memberId: string, code: string) => verification.verify({ memberId, code }, null);
    /** Signs in once a step (30 s later each time) with the code a phone `offset` steps off shows. */
    const signInEachStep = async (member: { memberId: string; code(o?: number): string }, offset: number) => {
      clock.advance(30_000);
      return verify(member.memberId, member.code(offset));
    };

    it('follows a phone that runs ahead: after two codes a step off, its window moves a step', async () => {
      const member = await enrolledMember(app, clock);

      // Two steps ahead is out of reach at first…
      clock.advance(30_000);
      expect((await domainErrorOf(verify(member.memberId, member.code(2)))).code).toBe('invalid_code');
      // …then the phone keeps landing one step ahead, and the window follows it.
      await signInEachStep(member, 1);
      await signInEachStep(member, 1);
      await expect(signInEachStep(member, 2)).resolves.toMatchObject({ method: 'totp' });
      await expect(signInEachStep(member, 2)).resolves.toMatchObject({ method: 'totp' });
      await expect(signInEachStep(member, 3)).resolves.toMatchObject({ method: 'totp' });
    });

    it('learns at most two steps: the window stays three steps wide and never drifts further', async () => {
      const member = await enrolledMember(app, clock);
      for (const offset of [1, 1, 2, 2, 3, 3]) await signInEachStep(member, offset);

      clock.advance(30_000);
      expect((await domainErrorOf(verify(member.memberId, member.code(4)))).code).toBe('invalid_code');
      expect((await domainErrorOf(verify(member.memberId, member.code(0)))).code).toBe('invalid_code');
      await expect(verify(member.memberId, member.code(3))).resolves.toMatchObject({ method: 'totp' });
    });

    it('keeps refusing a used step whatever the drift: replay is counted in absolute steps', async () => {
      const member = await enrolledMember(app, clock);
      await signInEachStep(member, 1);
      const used = member.code(1);

      expect((await domainErrorOf(verify(member.memberId, used))).code).toBe('code_already_used');
      clock.advance(30_000);
      expect((await domainErrorOf(verify(member.memberId, member.code(0)))).code).toBe('code_already_used');
    });

    it('resyncs a phone seven minutes behind from two codes in a row, then accepts its codes', async () => {
      const member = await enrolledMember(app, clock);
      // Months later (here, a quarter of an hour) its clock has fallen behind.
      clock.advance(15 * 60_000);
      // The phone's clock is 14 steps behind: its codes are out of reach.
      expect((await domainErrorOf(verify(member.memberId, member.code(-14)))).code).toBe('invalid_code');

      const resynced = await verification.resync(
        {
          memberId: member.memberId,
          code1: member.code(-15),
          code2: member.code(-14),
        },
        null,
      );

      expect(resynced).toEqual({ resynced: true, driftSeconds: -420 });
      clock.advance(30_000);
      await expect(verify(member.memberId, member.code(-14))).resolves.toMatchObject({ method: 'totp' });
      expect((await eventsFor(app, member.memberId)).map((e) => e.type)).toContain('two_factor.resynced');
    });

    it('refuses a resync with codes not in a row, out of reach, or already used, and counts it as a wrong code', async () => {
      const member = await enrolledMember(app, clock);
      clock.advance(30_000);
      const resync = (code1: string, code2: string) =>
        domainErrorOf(verification.resync({ memberId: member.memberId, code1, code2 }, null));

      expect((await resync(member.code(-5), member.code(-3))).code).toBe('invalid_code');
      expect((await resync(member.code(-22), member.code(-21))).code).toBe('invalid_code');
      expect((await resync(member.code(-1), member.code(0))).code).toBe('code_already_used');
      // Those were failures in a row: two more, and the back-off starts.
      await resync('123456', '654321');
      await resync('123456', '654321');
      expect((await resync(member.code(4), member.code(5))).code).toBe('too_many_attempts');
    });

    describe('in the status (clockDriftSeconds)', () => {
      const driftOf = async (memberId: string) =>
        (await app.get(TwoFactorService).status(memberId)).clockDriftSeconds;

      it('is null for a phone on time, and without an authenticator app', async () => {
        const member = await enrolledMember(app, clock);
        for (const offset of [0, 0, 0]) await signInEachStep(member, offset);

        expect(await driftOf(member.memberId)).toBeNull();
        expect(await driftOf(randomUUID())).toBeNull();
      });

      it('is +60 for a phone a minute fast whose codes signed in (learned at sign-in)', async () => {
        const member = await enrolledMember(app, clock);
        for (const offset of [1, 1]) await signInEachStep(member, offset);
        expect(await driftOf(member.memberId)).toBe(30);

        for (const offset of [2, 2]) await signInEachStep(member, offset);

        expect(await driftOf(member.memberId)).toBe(60);
      });

      it('is -30 for a phone half a minute slow', async () => {
        const member = await enrolledMember(app, clock);
        clock.advance(30_000);
        for (const offset of [-1, -1]) await signInEachStep(member, offset);

        expect(await driftOf(member.memberId)).toBe(-30);
      });

      it('is what a resync of a phone a minute fast reported, with the same sign, and stays so', async () => {
        const member = await enrolledMember(app, clock);
        clock.advance(30_000);

        const { driftSeconds } = await verification.resync(
          { memberId: member.memberId, code1: member.code(1), code2: member.code(2) },
          null,
        );

        expect(driftSeconds).toBe(60);
        expect(await driftOf(member.memberId)).toBe(60);
        for (const offset of [2, 2]) await signInEachStep(member, offset);
        expect(await driftOf(member.memberId)).toBe(60);
        const resynced = (await eventsFor(app, member.memberId)).find(
          (e) => e.type === 'two_factor.resynced',
        );
        expect(resynced?.details).toEqual({ driftSeconds: 60 });
      });

      it('adds what sign-ins learned after a resync to its base', async () => {
        const member = await enrolledMember(app, clock);
        clock.advance(15 * 60_000);
        await verification.resync(
          { memberId: member.memberId, code1: member.code(-15), code2: member.code(-14) },
          null,
        );
        // Then it falls a step further behind.
        clock.advance(30_000);
        for (const offset of [-15, -15]) await signInEachStep(member, offset);

        expect(await driftOf(member.memberId)).toBe(-450);
      });
    });
  });
});

describe('the hard lock', () => {
  let infra: IntegrationEnv;
  let app: INestApplicationContext;
  let verification: VerificationService;
  const clock = new TestClock(new Date('2026-11-28T10:00:05Z'));

  beforeAll(async () => {
    infra = await createIntegrationEnv('otp_lock');
    // Short windows: lock after 6 failures, no back-off before it.
    app = await startOtpService(
      { ...infra.env, OTP_LOCK_AFTER_FAILURES: '6', OTP_BACKOFF_AFTER_FAILURES: '50' },
      clock,
    );
    verification = app.get(VerificationService);
  });

  afterAll(async () => {
    await app?.close();
    await infra?.cleanup();
  });

  const lockOut = async (memberId: string, code: () => string): Promise<void> => {
    for (let i = 0; i < 6; i += 1)
      await domainErrorOf(verification.verify({ memberId, code: wrongCode(code()) }, null));
  };

  it('locks the second factor after the configured failures, refusing even the right code', async () => {
    const member = await enrolledMember(app, clock);
    clock.advance(30_000);

    await lockOut(member.memberId, member.code);

    expect(
      (await domainErrorOf(verification.verify({ memberId: member.memberId, code: member.code() }, null)))
        .code,
    ).toBe('second_factor_locked');
    expect(
      (await eventsFor(app, member.memberId)).filter((e) => e.type === 'two_factor.locked'),
    ).toHaveLength(1);
  });

  it('is reached by wrong recovery codes too, and reports how many failures led to it', async () => {
    const member = await enrolledMember(app, clock);
    clock.advance(30_000);
    for (let i = 0; i < 3; i += 1)
      await domainErrorOf(
        verification.verify({ memberId: member.memberId, code: wrongCode(member.code()) }, null),
      );
    const answers: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      answers.push(
        (
          await domainErrorOf(
            verification.verify({ memberId: member.memberId, code: `ZZZZ-ZZZZ-ZZZ${i}` }, null),
          )
        ).code,
      );
    }

    expect(answers).toEqual(['invalid_code', 'invalid_code', 'second_factor_locked']);
    const locked = (await eventsFor(app, member.memberId)).filter((e) => e.type === 'two_factor.locked');
    expect(locked.map((e) => e.details)).toEqual([{ failures: 6 }]);
  });

  it('keeps the lock in Postgres, so a lost Redis state does not unlock', async () => {
    const member = await enrolledMember(app, clock);
    clock.advance(30_000);
    await lockOut(member.memberId, member.code);
    await deleteTestKeys(`${infra.prefix}otp:attempts:*`);

    expect(
      (await domainErrorOf(verification.verify({ memberId: member.memberId, code: member.code() }, null)))
        .code,
    ).toBe('second_factor_locked');
  });

  it('is reached by wrong recovery codes checked, and then refuses checking even a right one', async () => {
    const member = await enrolledMember(app, clock);
    const check = (code: string) =>
      verification.checkRecoveryCode({ memberId: member.memberId, code }, null).then(
        ({ valid }) => (valid ? 'valid' : 'invalid'),
        (error: { code: string }) => error.code,
      );
    const answers: string[] = [];
    for (let i = 0; i < 6; i += 1) answers.push(await check(`ZZZZ-ZZZZ-ZZZ${i}`));

    expect(answers).toEqual([...Array(5).fill('invalid'), 'second_factor_locked']);
    expect(await check(member.recoveryCodes[0])).toBe('second_factor_locked');
    expect(await check('ZZZZ-ZZZZ-ZZZZ')).toBe('second_factor_locked');
    const locked = (await eventsFor(app, member.memberId)).filter((e) => e.type === 'two_factor.locked');
    expect(locked.map((e) => e.details)).toEqual([{ failures: 6 }]);
    expect((await app.get(TwoFactorService).status(member.memberId)).locked).toBe(true);
  });

  it('refuses checking a recovery code while locked, even after Redis lost its counters', async () => {
    const member = await enrolledMember(app, clock);
    clock.advance(30_000);
    await lockOut(member.memberId, member.code);
    await deleteTestKeys(`${infra.prefix}otp:attempts:*`);

    const answers = await Promise.all(
      [member.recoveryCodes[0], 'ZZZZ-ZZZZ-ZZZZ'].map(
        async (code) =>
          (await domainErrorOf(verification.checkRecoveryCode({ memberId: member.memberId, code }, null)))
            .code,
      ),
    );

    expect(answers).toEqual(['second_factor_locked', 'second_factor_locked']);
    // Only a recovery code used to sign in lifts the lock; then checks work again.
    await verification.verify({ memberId: member.memberId, code: member.recoveryCodes[1] }, null);
    expect(
      await verification.checkRecoveryCode(
        { memberId: member.memberId, code: member.recoveryCodes[0] },
        null,
      ),
    ).toEqual({ valid: true });
  });

  it('is lifted by a recovery code, after which TOTP codes work again', async () => {
    const member = await enrolledMember(app, clock);
    clock.advance(30_000);
    await lockOut(member.memberId, member.code);

    expect(
      (await verification.verify({ memberId: member.memberId, code: member.recoveryCodes[0] }, null)).method,
    ).toBe('recovery_code');
    expect((await app.get(CredentialsRepository).findActive(member.memberId))?.lockedAt).toBeNull();
    expect((await verification.verify({ memberId: member.memberId, code: member.code() }, null)).method).toBe(
      'totp',
    );
  });

  it('is lifted by an admin reset (2FA off), after which the member can enrol again', async () => {
    const member = await enrolledMember(app, clock);
    clock.advance(30_000);
    await lockOut(member.memberId, member.code);

    await app.get(TwoFactorService).disable(
      {
        memberId: member.memberId,
        accountId: member.accountId,
        actorId: member.accountId,
        reason: 'admin_reset',
      },
      null,
    );

    expect((await app.get(TwoFactorService).status(member.memberId)).enabled).toBe(false);
    expect((await eventsFor(app, member.memberId)).map((e) => e.type)).toContain('two_factor.reset');
    const again = await enrolledMember(app, clock);
    expect((await app.get(TwoFactorService).status(again.memberId)).enabled).toBe(true);
  });
});

describe('when Redis is unreachable', () => {
  let infra: IntegrationEnv;
  let app: INestApplicationContext;
  let redis: PrivateRedis;
  const clock = new TestClock(new Date('2026-11-28T10:00:05Z'));

  beforeAll(async () => {
    infra = await createIntegrationEnv('otp_redis_down');
    redis = await PrivateRedis.start();
    app = await startOtpService({ ...infra.env, REDIS_URL: redis.url, REDIS_CLUSTER_NODES: '' }, clock);
  });

  afterAll(async () => {
    await redis?.stop();
    await app?.close().catch(() => undefined);
    await infra?.cleanup();
  });

  it('fails closed: a right code is not accepted unchecked, the answer is service_unavailable', async () => {
    const member = await enrolledMember(app, clock);
    clock.advance(30_000);
    await redis.stop();

    const error = await domainErrorOf(
      app.get(VerificationService).verify({ memberId: member.memberId, code: member.code() }, null),
    );

    expect(error.code).toBe('service_unavailable');
  });
});

describe('verification with copies of credentials shared by instances', () => {
  let infra: IntegrationEnv;
  let a: INestApplicationContext;
  let b: INestApplicationContext;
  const clock = new TestClock(new Date('2026-11-28T10:00:05Z'));

  beforeAll(async () => {
    infra = await createIntegrationEnv('otp_cache');
    // Two instances of the service on one database and one Redis, as in production.
    a = await startOtpService(
      { ...infra.env, OTP_LOCK_AFTER_FAILURES: '3', OTP_BACKOFF_AFTER_FAILURES: '50' },
      clock,
    );
    b = await startOtpService(
      { ...infra.env, OTP_LOCK_AFTER_FAILURES: '3', OTP_BACKOFF_AFTER_FAILURES: '50' },
      clock,
    );
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await infra?.cleanup();
  });

  beforeEach(() => clock.advance(3600_000));

  const redisOf = (): Redis => testRedis(infra.prefix);
  const sharedCopyOf = async (memberId: string): Promise<string | null> => {
    const redis = redisOf();
    try {
      return await redis.get(`otp:credential-copy:${memberId}`);
    } finally {
      redis.disconnect();
    }
  };
  /** Puts a copy back as it was, as if dropping it had failed or raced with a reader. */
  const plantSharedCopy = async (memberId: string, raw: string): Promise<void> => {
    const redis = redisOf();
    await redis.set(`otp:credential-copy:${memberId}`, raw);
    redis.disconnect();
  };

  /** A member whose credential instance A has read (and keeps) by accepting one code. */
  const cachedOnA = async () => {
    const member = await enrolledMember(a, clock);
    clock.advance(30_000);
    expect(
      (await a.get(VerificationService).verify({ memberId: member.memberId, code: member.code() }, null))
        .method,
    ).toBe('totp');
    clock.advance(30_000);
    return member;
  };

  it('never accepts a code for a credential another instance turned off', async () => {
    const member = await cachedOnA();
    await b.get(TwoFactorService).disable(
      {
        memberId: member.memberId,
        accountId: member.accountId,
        actorId: member.memberId,
        reason: 'self',
      },
      null,
    );

    const error = await domainErrorOf(
      a.get(VerificationService).verify({ memberId: member.memberId, code: member.code() }, null),
    );

    expect(error.code).toBe('two_factor_not_enabled');
  });

  it('keeps no copy of a credential removed between its read and the reading of its version', async () => {
    const member = await enrolledMember(a, clock);
    // No copy yet (as after a restart of Redis): the first check reads Postgres.
    await a.get(ActiveCredentials).drop(member.memberId);
    const repository = a.get(CredentialsRepository);
    const read = repository.findActive.bind(repository);
    // The removal (on the other instance) lands right after this instance read the credential.
    jest.spyOn(repository, 'findActive').mockImplementationOnce(async (memberId: string) => {
      const found = await read(memberId);
      await b.get(TwoFactorService).disable(
        {
          memberId: member.memberId,
          accountId: member.accountId,
          actorId: member.memberId,
          reason: 'self',
        },
        null,
      );
      return found;
    });
    clock.advance(30_000);

    const answers = [];
    for (let i = 0; i < 2; i += 1, clock.advance(30_000)) {
      answers.push(
        (
          await domainErrorOf(
            a.get(VerificationService).verify({ memberId: member.memberId, code: member.code() }, null),
          )
        ).code,
      );
    }

    expect(answers).toEqual(['two_factor_not_enabled', 'two_factor_not_enabled']);
    expect(await sharedCopyOf(member.memberId)).toBeNull();
  });

  it('refuses the right code once another instance locked the credential, even after Redis lost its state', async () => {
    const member = await cachedOnA();
    for (let i = 0; i < 3; i += 1) {
      await domainErrorOf(
        b
          .get(VerificationService)
          .verify({ memberId: member.memberId, code: wrongCode(member.code()) }, null),
      );
    }
    await deleteTestKeys(`${infra.prefix}otp:attempts:*`);

    const error = await domainErrorOf(
      a.get(VerificationService).verify({ memberId: member.memberId, code: member.code() }, null),
    );

    expect(error.code).toBe('second_factor_locked');
  });

  it('sees an unlock made by another instance at once', async () => {
    const member = await cachedOnA();
    for (let i = 0; i < 3; i += 1) {
      await domainErrorOf(
        a
          .get(VerificationService)
          .verify({ memberId: member.memberId, code: wrongCode(member.code()) }, null),
      );
    }
    expect(
      (
        await b
          .get(VerificationService)
          .verify({ memberId: member.memberId, code: member.recoveryCodes[0] }, null)
      ).method,
    ).toBe('recovery_code');

    expect(
      (await a.get(VerificationService).verify({ memberId: member.memberId, code: member.code() }, null))
        .method,
    ).toBe('totp');
  });

  it('keeps the replay rule across instances with cached copies', async () => {
    const member = await cachedOnA();
    const code = member.code();

    const answers = await Promise.all(
      [a, b, a, b].map((app) =>
        app
          .get(VerificationService)
          .verify({ memberId: member.memberId, code }, null)
          .then(
            () => 'accepted',
            (error: { code: string }) => error.code,
          ),
      ),
    );

    expect(answers.filter((x) => x === 'accepted')).toHaveLength(1);
  });
  it('reads no Postgres for a member’s first sign-in, on an instance that never saw the member', async () => {
    const member = await enrolledMember(a, clock);
    clock.advance(30_000);
    const reads = jest.spyOn(b.get(CredentialsRepository), 'findActive');

    const verified = await b
      .get(VerificationService)
      .verify({ memberId: member.memberId, code: member.code() }, null);

    expect(verified.method).toBe('totp');
    expect(reads).not.toHaveBeenCalled();
    reads.mockRestore();
  });

  it('never accepts a code through a shared copy that outlived the removal of its credential', async () => {
    const member = await enrolledMember(a, clock);
    const copy = (await sharedCopyOf(member.memberId))!;
    await a.get(TwoFactorService).disable(
      {
        memberId: member.memberId,
        accountId: member.accountId,
        actorId: member.memberId,
        reason: 'self',
      },
      null,
    );
    await plantSharedCopy(member.memberId, copy);
    clock.advance(30_000);

    const error = await domainErrorOf(
      b.get(VerificationService).verify({ memberId: member.memberId, code: member.code() }, null),
    );

    expect(error.code).toBe('two_factor_not_enabled');
    expect(await sharedCopyOf(member.memberId)).toBeNull();
  });

  it('refuses the old phone’s code through a shared copy of the credential it replaced', async () => {
    const first = await enrolledMember(a, clock);
    const copy = (await sharedCopyOf(first.memberId))!;
    await a.get(TwoFactorService).disable(
      {
        memberId: first.memberId,
        accountId: first.accountId,
        actorId: first.memberId,
        reason: 'self',
      },
      null,
    );
    const enrollment = await a
      .get(EnrollmentService)
      .start({ memberId: first.memberId, accountId: first.accountId, login: 'new-phone' });
    const secret = base32Decode(enrollment.secret);
    const newCode = (): string => totpReference(secret, clock.now().getTime() / 1000);
    await a.get(EnrollmentService).confirm({ memberId: first.memberId, code: newCode() }, null);
    await plantSharedCopy(first.memberId, copy);
    clock.advance(30_000);

    const old = await domainErrorOf(
      b.get(VerificationService).verify({ memberId: first.memberId, code: first.code() }, null),
    );

    expect(old.code).toBe('invalid_code');
    expect(
      (await b.get(VerificationService).verify({ memberId: first.memberId, code: newCode() }, null)).method,
    ).toBe('totp');
  });

  it('refuses the right code through the shared copy once another instance locked the credential, even after Redis lost its counters', async () => {
    const member = await enrolledMember(a, clock);
    clock.advance(30_000);
    for (let i = 0; i < 3; i += 1) {
      await domainErrorOf(
        a
          .get(VerificationService)
          .verify({ memberId: member.memberId, code: wrongCode(member.code()) }, null),
      );
    }
    expect(await sharedCopyOf(member.memberId)).not.toBeNull();

    const locked = await domainErrorOf(
      b.get(VerificationService).verify({ memberId: member.memberId, code: member.code() }, null),
    );
    await deleteTestKeys(`${infra.prefix}otp:attempts:*`);
    const stillLocked = await domainErrorOf(
      b.get(VerificationService).verify({ memberId: member.memberId, code: member.code() }, null),
    );

    expect([locked.code, stillLocked.code]).toEqual(['second_factor_locked', 'second_factor_locked']);
  });
});
