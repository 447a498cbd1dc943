import { z } from 'zod';
import { loginSchema, memberWithAccountSchema, newPasswordSchema } from './account';
import { emptyRequestSchema } from './health';
import { defineRpc } from './rpc';

/**
 * What the platform's operator (the `npm run admin` CLI) asks the services, over the same NATS
 * bus and contracts as the gateway. No customer reaches these: the gateway never calls them.
 */
const byLoginSchema = z.object({ login: z.string().trim().min(1).max(256) }).strict();

export const operatorMemberSchema = z.object({
  member: memberWithAccountSchema,
  /** A customer account's member, or one of the platform's service users. */
  kind: z.enum(['customer', 'service']),
  /** Sign-in is locked after too many wrong passwords. */
  signInLocked: z.boolean(),
});
export type OperatorMember = z.infer<typeof operatorMemberSchema>;

export const failedJobSchema = z.object({
  id: z.string(),
  /** The security event's type, account and subject (never its details: they may hold an e-mail). */
  type: z.string(),
  accountId: z.string().nullable(),
  subjectId: z.string().nullable(),
  failedReason: z.string(),
  attempts: z.number().int(),
  failedAt: z.iso.datetime().nullable(),
});
export type FailedJob = z.infer<typeof failedJobSchema>;

export const OperatorRpc = {
  /**
   * A service user (role `service`, in the reserved project `service`, which this creates the
   * first time). Errors: login_taken, account_name_taken (a customer account holds the name).
   */
  createServiceUser: defineRpc(
    'account.v1.operator.service-users.create',
    z.object({ login: loginSchema, password: newPasswordSchema }).strict(),
    memberWithAccountSchema,
  ),
  /** Removes a service user; its tokens end. Errors: not_found (no such service user). */
  deleteServiceUser: defineRpc(
    'account.v1.operator.service-users.delete',
    byLoginSchema,
    z.object({ deleted: z.literal(true) }),
  ),
  /** Any member or service user by login. Errors: not_found. */
  findMember: defineRpc('account.v1.operator.members.find', byLoginSchema, operatorMemberSchema),
  /**
   * Lifts the password lock of a login (audited as done by the platform, e-mailed to the member
   * and the account's owner). Errors: not_found.
   */
  unlockSignIn: defineRpc(
    'account.v1.operator.members.unlock',
    byLoginSchema,
    z.object({ unlocked: z.boolean() }),
  ),
  /** The security-event jobs that exhausted their retries (their e-mail was never sent). */
  listFailedJobs: defineRpc(
    'account.v1.operator.failed-jobs.list',
    emptyRequestSchema,
    z.object({ jobs: z.array(failedJobSchema) }),
  ),
  /** Runs failed jobs again: these ids, or all of them. */
  retryFailedJobs: defineRpc(
    'account.v1.operator.failed-jobs.retry',
    z.object({ ids: z.array(z.string().min(1).max(64)).max(1000).optional() }).strict(),
    z.object({ retried: z.number().int() }),
  ),
  /**
   * Lifts the hard lock of a member's second factor (audited as done by the platform, e-mailed
   * to the member and the account's owner). Errors: two_factor_not_enabled.
   */
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
