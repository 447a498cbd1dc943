import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import { SECURITY_EVENTS_QUEUE, type SecurityEvent } from '@twofold/contracts';
import { Clock, SecurityEventOutbox } from '@twofold/platform';
import { base32Decode, type TestClock, totpReference } from '@twofold/testing';
import { type Queue } from 'bullmq';
import { AppModule } from '../app.module';
import { loadOtpConfig } from '../config/otp-config';
import { EnrollmentService } from '../enrollment/enrollment.service';

/** otp-service's module tree on the real Postgres and Redis, with the test's clock. */
export async function startOtpService(
  env: Record<string, string>,
  clock: TestClock,
): Promise<INestApplicationContext> {
  const module = await Test.createTestingModule({ imports: [AppModule.forRoot(loadOtpConfig(env))] })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  return module.init();
}

export interface EnrolledMember {
  memberId: string;
  accountId: string;
  secret: Buffer;
  recoveryCodes: string[];
  /** The code of the step `offset` steps from the clock's now. */
  code(offset?: number): string;
}

/** A member with 2FA on, confirmed with the current code (whose step is then used up). */
export async function enrolledMember(
  app: INestApplicationContext,
  clock: TestClock,
  confirm = true,
): Promise<EnrolledMember> {
  const memberId = randomUUID();
  const accountId = randomUUID();
  const enrollment = await app
    .get(EnrollmentService)
    .start({ memberId, accountId, login: `m-${memberId.slice(0, 8)}` });
  const secret = base32Decode(enrollment.secret);
  const code = (offset = 0): string => totpReference(secret, clock.now().getTime() / 1000 + offset * 30);
  if (confirm) await app.get(EnrollmentService).confirm({ memberId, code: code() }, null);
  return { memberId, accountId, secret, recoveryCodes: enrollment.recoveryCodes, code };
}

/** The security events otp-service has recorded for a member, once its outbox relayed them to the queue. */
export async function eventsFor(app: INestApplicationContext, memberId: string): Promise<SecurityEvent[]> {
  const outbox = app.get(SecurityEventOutbox);
  for (let round = 0; round < 20 && (await outbox.size()) > 0; round += 1) await outbox.relay();
  const queue = app.get<Queue>(getQueueToken(SECURITY_EVENTS_QUEUE));
  const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed', 'completed', 'failed', 'active']);
  return jobs
    .map((j) => j.data as SecurityEvent)
    .filter((e) => e.subjectId === memberId)
    .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
}
