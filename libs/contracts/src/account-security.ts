import { z } from 'zod';
import { linkTokenSchema, newPasswordSchema } from './account';
import { presentedCodeSchema, resyncBodySchema } from './otp';

/**
 * POST /api/v1/auth/password-reset/confirm: the e-mailed link's token and the new password; for a
 * member with 2FA also a code from the authenticator app or a recovery code, in the same request.
 */
export const passwordResetConfirmBodySchema = z
  .object({ token: linkTokenSchema, newPassword: newPasswordSchema, code: presentedCodeSchema.optional() })
  .strict();
export type PasswordResetConfirmBody = z.infer<typeof passwordResetConfirmBodySchema>;

/** POST /api/v1/security/not-me: the token of a security e-mail's "this wasn't me" link. */
export const notMeBodySchema = z.object({ token: linkTokenSchema }).strict();
export type NotMeBody = z.infer<typeof notMeBodySchema>;

/** 202 of a reset request: the same for every login, known or not. */
export const passwordResetAcceptedSchema = z.object({ accepted: z.literal(true) });
export type PasswordResetAccepted = z.infer<typeof passwordResetAcceptedSchema>;

/** POST /api/v1/security/verify-email: the token of the link e-mailed to confirm an address. */
export const verifyEmailBodySchema = z.object({ token: linkTokenSchema }).strict();
export type VerifyEmailBody = z.infer<typeof verifyEmailBodySchema>;
/** 200 of a confirmed address: the member's address now. */
export const emailVerifiedSchema = z.object({ email: z.string() });
export type EmailVerified = z.infer<typeof emailVerifiedSchema>;

/** POST /api/v1/security/accept-invitation: the invitation's token and the password the member chooses. */
export const acceptInvitationBodySchema = z
  .object({ token: linkTokenSchema, password: newPasswordSchema })
  .strict();
export type AcceptInvitationBody = z.infer<typeof acceptInvitationBodySchema>;
/** 200 of an accepted invitation: the login to sign in with. */
export const invitationAcceptedSchema = z.object({ login: z.string() });

/** 200 of "this wasn't me": whose sign-in was secured, for the password reset that follows. */
export const notMeReportedSchema = z.object({ login: z.string() });
export type NotMeReported = z.infer<typeof notMeReportedSchema>;

/** POST /api/v1/security/two-factor-resync: the e-mailed link's token and two codes in a row. */
export const resyncLinkBodySchema = resyncBodySchema.extend({ token: linkTokenSchema }).strict();
export type ResyncLinkBody = z.infer<typeof resyncLinkBodySchema>;
