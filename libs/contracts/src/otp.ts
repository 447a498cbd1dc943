import { z } from 'zod';
import { callerGrantSchema, memberRefSchema, securityStampSchema } from './account';
import { emptyRequestSchema, healthReportSchema } from './health';
import { defineRpc } from './rpc';
import { authenticationResponseSchema } from './webauthn';

export const secondFactorKindSchema = z.enum(['totp', 'webauthn']);
export type SecondFactorKind = z.infer<typeof secondFactorKindSchema>;

export const twoFactorStatusSchema = z.object({
  /** An authenticator app or at least one passkey. */
  enabled: z.boolean(),
  factors: z.array(secondFactorKindSchema),
  passkeys: z.number().int().min(0),
  pending: z.boolean(),
  enabledAt: z.iso.datetime().nullable(),
  recoveryCodesRemaining: z.number().int().min(0),
  /** When the member's set of recovery codes was made (and shown, the only time it is). */
  recoveryCodesIssuedAt: z.iso.datetime().nullable(),
  /** When one of this set was last used up (a sign-in, step-up or reset). */
  recoveryCodesLastUsedAt: z.iso.datetime().nullable(),
  /** The last check that found one of this set valid (`POST …/recovery-codes/check`). */
  recoveryCodesLastCheckedAt: z.iso.datetime().nullable(),
  /**
   * How far the authenticator app's clock is off, as learned from its codes and resyncs (positive:
   * ahead; a multiple of the step); null without an app or when nothing was learned.
   */
  clockDriftSeconds: z.number().int().nullable(),
  locked: z.boolean(),
});
export type TwoFactorStatus = z.infer<typeof twoFactorStatusSchema>;

/** A TOTP or recovery code as typed; anything else is refused without counting an attempt. */
export const presentedCodeSchema = z.string().trim().min(1, 'must not be empty').max(64, 'is too long');

export const startEnrollmentRequestSchema = z
  .object({
    memberId: z.uuid(),
    accountId: z.uuid(),
    login: z.string().min(1).max(256),
    /** Replaces the authenticator of a member with 2FA on; the current one works until confirmed. */
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

export const secondFactorMethodSchema = z.enum(['totp', 'recovery_code', 'webauthn']);
export type SecondFactorMethod = z.infer<typeof secondFactorMethodSchema>;

export const verifiedSchema = z.object({
  method: secondFactorMethodSchema,
  recoveryCodesRemaining: z.number().int().min(0).nullable(),
});
export type Verified = z.infer<typeof verifiedSchema>;

/** `link`: codes from an e-mailed link have their own back-off, so a mailbox alone cannot lock the member. */
export const codeBudgetSchema = z.enum(['sign_in', 'link']).default('sign_in');

export const codeTestSchema = z.object({ valid: z.boolean() });

export const recoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()) });

export const disableRequestSchema = z
  .object({
    memberId: z.uuid(),
    accountId: z.uuid(),
    /** Null for the operator resetting a locked-out owner. */
    actorId: z.uuid().nullable(),
    reason: z.enum(['self', 'admin_reset', 'operator_reset']),
    /** The member's own grant it is made from (self): only while it holds. */
    grant: callerGrantSchema.optional(),
  })
  .strict();
export type DisableRequest = z.infer<typeof disableRequestSchema>;

export const OtpRpc = {
  status: defineRpc('otp.v1.status', memberRefSchema, twoFactorStatusSchema),
  startEnrollment: defineRpc('otp.v1.enrollment.start', startEnrollmentRequestSchema, enrollmentSchema),
  /** For a replacement, the old authenticator goes in the same transaction and the other grants end. */
  confirmEnrollment: defineRpc(
    'otp.v1.enrollment.confirm',
    memberCodeRequestSchema.extend({ grant: callerGrantSchema.optional() }),
    confirmedEnrollmentSchema.extend({ securityStamp: securityStampSchema.optional() }),
  ),
  /** A recovery code is burnt on success. */
  verify: defineRpc(
    'otp.v1.verify',
    /** `totpAllowed: false`: the policy asks this member for a passkey; recovery codes still work. */
    memberCodeRequestSchema.extend({ budget: codeBudgetSchema, totpAllowed: z.boolean().optional() }),
    verifiedSchema,
  ),
  /** Realigns a drifted authenticator from two consecutive codes (within ±10 minutes). */
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
  /** Same rules as sign-in, but a wrong code answers valid: false. */
  test: defineRpc('otp.v1.test', memberCodeRequestSchema, codeTestSchema),
  /**
   * A recovery code checked, never burnt: a wrong one counts like a wrong code (back-off, lock) and
   * answers valid: false; a right one neither burns it nor resets the count. Refused while locked.
   */
  checkRecoveryCode: defineRpc('otp.v1.recovery-codes.check', memberCodeRequestSchema, codeTestSchema),
  regenerateRecoveryCodes: defineRpc(
    'otp.v1.recovery-codes.regenerate',
    memberRefSchema,
    recoveryCodesSchema,
  ),
  /** Ends the member's grants (answers the new security stamp). */
  disable: defineRpc(
    'otp.v1.disable',
    disableRequestSchema,
    z.object({ disabled: z.literal(true), securityStamp: securityStampSchema.optional() }),
  ),
  /** "This wasn't me": undoes 2FA turned on between `since` and `until`, so a password reset recovers. */
  revertTwoFactor: defineRpc(
    'otp.v1.two-factor.revert',
    z.object({ memberId: z.uuid(), since: z.iso.datetime(), until: z.iso.datetime() }).strict(),
    z.object({ removed: z.boolean() }),
  ),
  /** A removed member's factors go, so its authenticators can be registered again by anyone. */
  forgetMember: defineRpc('otp.v1.member.forget', memberRefSchema, z.object({ forgotten: z.literal(true) })),
  enabledAmong: defineRpc(
    'otp.v1.enabled-among',
    z.object({ memberIds: z.array(z.uuid()).max(5000) }).strict(),
    z.object({ enabled: z.array(z.uuid()) }),
  ),
  health: defineRpc('otp.v1.health', emptyRequestSchema, healthReportSchema),
} as const;

const mfaTokenSchema = z.string().min(16).max(128);

export const mfaOptionsBodySchema = z.object({ mfaToken: mfaTokenSchema }).strict();

/** A code (TOTP or recovery) or a passkey's answer to the `webauthn.options` of the login's answer. */
export const mfaRequestSchema = z.union([
  z.object({ mfaToken: mfaTokenSchema, code: presentedCodeSchema }).strict(),
  z.object({ mfaToken: mfaTokenSchema, webauthn: authenticationResponseSchema }).strict(),
]);

export const startEnrollmentBodySchema = z.object({ password: z.string().min(1).max(1024) }).strict();

export const codeBodySchema = z.object({ code: presentedCodeSchema }).strict();

export const stepUpBodySchema = z.union([
  codeBodySchema,
  z.object({ webauthn: authenticationResponseSchema }).strict(),
  z.object({ password: z.string().min(1, 'must not be empty').max(1024, 'is too long') }).strict(),
]);
export type StepUpBody = z.infer<typeof stepUpBodySchema>;
export const steppedUpSchema = z.object({ freshUntil: z.iso.datetime() });
export type SteppedUp = z.infer<typeof steppedUpSchema>;

export const resyncBodySchema = z.object({ code1: presentedCodeSchema, code2: presentedCodeSchema }).strict();
export type ResyncBody = z.infer<typeof resyncBodySchema>;
/** Positive: the phone's clock is ahead. */
export const resyncedSchema = z.object({ resynced: z.literal(true), driftSeconds: z.number().int() });
