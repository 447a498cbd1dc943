import { z } from 'zod';
import { loginSchema, memberWithAccountSchema, newPasswordSchema } from './account';
import { emptyRequestSchema } from './health';
import { defineRpc } from './rpc';

/** For the operator's `npm run admin` CLI only: the gateway never calls these. */
const byLoginSchema = z.object({ login: z.string().trim().min(1).max(256) }).strict();

export const operatorMemberSchema = z.object({
  member: memberWithAccountSchema,
  kind: z.enum(['customer', 'service']),
  signInLocked: z.boolean(),
});
export type OperatorMember = z.infer<typeof operatorMemberSchema>;

export const failedJobSchema = z.object({
  id: z.string(),
  /** security-events (audit and e-mail) or security-events-webhook (the SIEM's receiver). */
  queue: z.string(),
  /** Never the event's details: they may hold an e-mail. */
  type: z.string(),
  accountId: z.string().nullable(),
  subjectId: z.string().nullable(),
  failedReason: z.string(),
  attempts: z.number().int(),
  failedAt: z.iso.datetime().nullable(),
});
export type FailedJob = z.infer<typeof failedJobSchema>;

export const AccountOperatorRpc = {
  /** Creates the reserved project `service` the first time. */
  createServiceUser: defineRpc(
    'account.v1.operator.service-users.create',
    z.object({ login: loginSchema, password: newPasswordSchema }).strict(),
    memberWithAccountSchema,
  ),
  deleteServiceUser: defineRpc(
    'account.v1.operator.service-users.delete',
    byLoginSchema,
    z.object({ deleted: z.literal(true) }),
  ),
  findMember: defineRpc('account.v1.operator.members.find', byLoginSchema, operatorMemberSchema),
  /** Audited as done by the platform, and e-mailed to the member and the account's owner. */
  unlockSignIn: defineRpc(
    'account.v1.operator.members.unlock',
    byLoginSchema,
    z.object({ unlocked: z.boolean() }),
  ),
  listFailedJobs: defineRpc(
    'account.v1.operator.failed-jobs.list',
    emptyRequestSchema,
    z.object({ jobs: z.array(failedJobSchema) }),
  ),
  /** Without ids: all of them. */
  retryFailedJobs: defineRpc(
    'account.v1.operator.failed-jobs.retry',
    z.object({ ids: z.array(z.string().min(1).max(64)).max(1000).optional() }).strict(),
    z.object({ retried: z.number().int() }),
  ),
} as const;

export const OtpOperatorRpc = {
  /** Audited and e-mailed like unlockSignIn. */
  unlockSecondFactor: defineRpc(
    'otp.v1.operator.unlock',
    z.object({ memberId: z.uuid() }).strict(),
    z.object({ unlocked: z.boolean() }),
  ),
  /** Re-encrypts every OTP secret under the newest key of OTP_ENCRYPTION_KEYS. */
  rotateKeys: defineRpc(
    'otp.v1.operator.rotate-keys',
    emptyRequestSchema,
    z.object({ resealed: z.number().int(), keyId: z.string() }),
  ),
} as const;

/** The operator CLI's calls, answered by the service that owns each. */
export const OperatorRpc = { ...AccountOperatorRpc, ...OtpOperatorRpc } as const;
