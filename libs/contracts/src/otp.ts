import { z } from 'zod';
import { callerGrantSchema, memberRefSchema, securityStampSchema } from './account';
import { emptyRequestSchema, healthReportSchema } from './health';
import { defineRpc } from './rpc';

export const twoFactorStatusSchema = z.object({
  enabled: z.boolean(),
  pending: z.boolean(),
  enabledAt: z.iso.datetime().nullable(),
  recoveryCodesRemaining: z.number().int().min(0),
  /** Locked after too many wrong codes: a recovery code (or a reset) is the way out. */
  locked: z.boolean(),
});
export type TwoFactorStatus = z.infer<typeof twoFactorStatusSchema>;

/**
 * A code as typed by a person: a 6-digit TOTP code or a recovery code, with any spaces, dashes
 * or case. The service tells them apart; anything else is refused without counting an attempt.
 */
export const presentedCodeSchema = z.string().trim().min(1, 'must not be empty').max(64, 'is too long');

export const startEnrollmentRequestSchema = z
  .object({
    memberId: z.uuid(),
    accountId: z.uuid(),
    login: z.string().min(1).max(256),
    /**
     * A new authenticator for a member who has 2FA on (the caller checked a fresh second factor):
     * the current one keeps working until the new one is confirmed. Without it, a member with 2FA
     * on is refused (two_factor_already_enabled).
     */
    replace: z.boolean().optional(),
  })
  .strict();
export type StartEnrollmentRequest = z.infer<typeof startEnrollmentRequestSchema>;

/** Shown once and never retrievable again. */
export const enrollmentSchema = z.object({
  secret: z.string(),
  otpauthUri: z.string(),
  qrCodeSvg: z.string(),
  recoveryCodes: z.array(z.string()),
  expiresAt: z.iso.datetime(),
});
export type Enrollment = z.infer<typeof enrollmentSchema>;

export const memberCodeRequestSchema = z.object({ memberId: z.uuid(), code: presentedCodeSchema }).strict();
export type MemberCodeRequest = z.infer<typeof memberCodeRequestSchema>;

export const confirmedEnrollmentSchema = z.object({
  enabled: z.literal(true),
  recoveryCodesRemaining: z.number().int().min(0),
});

export const secondFactorMethodSchema = z.enum(['totp', 'recovery_code']);
export type SecondFactorMethod = z.infer<typeof secondFactorMethodSchema>;

export const verifiedSchema = z.object({
  method: secondFactorMethodSchema,
  /** After a recovery code: how many are left. Null after a TOTP code. */
  recoveryCodesRemaining: z.number().int().min(0).nullable(),
});
export type Verified = z.infer<typeof verifiedSchema>;

/**
 * Whose failures a code counts toward: the member's sign-in (back-off, then the lock), or — for
 * a code presented with an e-mailed link, by someone who may hold only the mailbox — a budget of
 * the links' own (back-off only), so that a mailbox alone can neither slow nor lock the member.
 */
export const codeBudgetSchema = z.enum(['sign_in', 'link']).default('sign_in');

export const codeTestSchema = z.object({ valid: z.boolean() });

export const recoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()) });

export const disableRequestSchema = z
  .object({
    memberId: z.uuid(),
    accountId: z.uuid(),
    /**
     * Who did it: the member (self), an admin resetting a member who lost both device and codes,
     * or the platform's operator (no actor: for a locked-out owner).
     */
    actorId: z.uuid().nullable(),
    reason: z.enum(['self', 'admin_reset', 'operator_reset']),
    /** The member's own grant it is made from (self): only while it holds. */
    grant: callerGrantSchema.optional(),
  })
  .strict();
export type DisableRequest = z.infer<typeof disableRequestSchema>;

export const OtpRpc = {
  /** A member's 2FA state. A member without a credential has 2FA off. */
  status: defineRpc('otp.v1.status', memberRefSchema, twoFactorStatusSchema),
  /**
   * Starts (or restarts) an enrolment, or a replacement of the member's authenticator: a new
   * secret and 4 recovery codes, pending until confirmed. Errors: two_factor_already_enabled,
   * two_factor_not_enabled (a replacement without 2FA).
   */
  startEnrollment: defineRpc('otp.v1.enrollment.start', startEnrollmentRequestSchema, enrollmentSchema),
  /**
   * Activates the pending enrolment with a current code — for a replacement, in the same
   * transaction as the old authenticator and its recovery codes go; the member's other grants end
   * (a new security stamp, answered for the caller's own session). Errors: enrollment_not_found,
   * invalid_code, …
   */
  confirmEnrollment: defineRpc(
    'otp.v1.enrollment.confirm',
    memberCodeRequestSchema.extend({ grant: callerGrantSchema.optional() }),
    confirmedEnrollmentSchema.extend({ securityStamp: securityStampSchema.optional() }),
  ),
  /**
   * Checks a second factor for sign-in: a TOTP code or a recovery code (burnt on success).
   * Errors: invalid_code, code_already_used, too_many_attempts, second_factor_locked, two_factor_not_enabled.
   */
  verify: defineRpc(
    'otp.v1.verify',
    memberCodeRequestSchema.extend({ budget: codeBudgetSchema }),
    verifiedSchema,
  ),
  /**
   * Realigns a drifted authenticator from two consecutive codes (within ±10 minutes): the
   * window moves to where the phone's clock is. Counted like a sign-in's code. Errors:
   * invalid_code (not two consecutive codes in reach), code_already_used, too_many_attempts,
   * second_factor_locked, two_factor_not_enabled.
   */
  resync: defineRpc(
    'otp.v1.resync',
    z
      .object({
        memberId: z.uuid(),
        code1: presentedCodeSchema,
        code2: presentedCodeSchema,
        budget: codeBudgetSchema,
      })
      .strict(),
    z.object({ resynced: z.literal(true), driftSeconds: z.number().int() }),
  ),
  /** "Test my code": a TOTP check with the same rules as sign-in; a wrong code answers valid: false. */
  test: defineRpc('otp.v1.test', memberCodeRequestSchema, codeTestSchema),
  /** A fresh set of 4 recovery codes; the old ones stop working. Errors: two_factor_not_enabled. */
  regenerateRecoveryCodes: defineRpc(
    'otp.v1.recovery-codes.regenerate',
    memberRefSchema,
    recoveryCodesSchema,
  ),
  /**
   * Removes the member's credential and recovery codes, ending the member's grants (answers the
   * new security stamp). Errors: two_factor_not_enabled.
   */
  disable: defineRpc(
    'otp.v1.disable',
    disableRequestSchema,
    z.object({ disabled: z.literal(true), securityStamp: securityStampSchema.optional() }),
  ),
  /**
   * "This wasn't me" was reported for an e-mail that told of an authenticator turned on (or
   * replaced): the member's authenticator goes if it was turned on between `since` (that e-mail's
   * event) and `until` (the report), with any enrolment pending, and the member's grants end — so
   * the member can take the account back by a password reset alone. Recorded by the not-me event.
   */
  revertTwoFactor: defineRpc(
    'otp.v1.two-factor.revert',
    z.object({ memberId: z.uuid(), since: z.iso.datetime(), until: z.iso.datetime() }).strict(),
    z.object({ removed: z.boolean() }),
  ),
  /** Which of these members have 2FA on (the account's compliance list). */
  enabledAmong: defineRpc(
    'otp.v1.enabled-among',
    z.object({ memberIds: z.array(z.uuid()).max(5000) }).strict(),
    z.object({ enabled: z.array(z.uuid()) }),
  ),
  health: defineRpc('otp.v1.health', emptyRequestSchema, healthReportSchema),
} as const;

/** The second step of a REST sign-in. */
export const mfaRequestSchema = z
  .object({ mfaToken: z.string().min(16).max(128), code: presentedCodeSchema })
  .strict();

/** Enrolment starts with the password again. */
export const startEnrollmentBodySchema = z.object({ password: z.string().min(1).max(1024) }).strict();

/** A code in a request body (confirm, test). */
export const codeBodySchema = z.object({ code: presentedCodeSchema }).strict();

/**
 * POST /api/v1/auth/step-up: a TOTP code or a recovery code (a member with 2FA), or the password
 * (a member without).
 */
export const stepUpBodySchema = z.union([
  codeBodySchema,
  z.object({ password: z.string().min(1, 'must not be empty').max(1024, 'is too long') }).strict(),
]);
export type StepUpBody = z.infer<typeof stepUpBodySchema>;
/** Until when this session may make sensitive changes without another step-up. */
export const steppedUpSchema = z.object({ freshUntil: z.iso.datetime() });
export type SteppedUp = z.infer<typeof steppedUpSchema>;

/** POST /api/v1/me/two-factor/resync: two codes the authenticator app shows one after the other. */
export const resyncBodySchema = z.object({ code1: presentedCodeSchema, code2: presentedCodeSchema }).strict();
export type ResyncBody = z.infer<typeof resyncBodySchema>;
/** How far off the phone's clock was found to be (positive: ahead). */
export const resyncedSchema = z.object({ resynced: z.literal(true), driftSeconds: z.number().int() });
