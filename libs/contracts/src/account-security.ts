import { z } from 'zod';
import { linkTokenSchema, newPasswordSchema } from './account';
import { languageSchema } from './language';
import { presentedCodeSchema, resyncBodySchema } from './otp';

/** `code` is required of a member with 2FA, so a mailbox alone cannot reset the password. */
export const passwordResetConfirmBodySchema = z
  .object({ token: linkTokenSchema, newPassword: newPasswordSchema, code: presentedCodeSchema.optional() })
  .strict();
export type PasswordResetConfirmBody = z.infer<typeof passwordResetConfirmBodySchema>;

export const notMeBodySchema = z.object({ token: linkTokenSchema }).strict();
export type NotMeBody = z.infer<typeof notMeBodySchema>;

/** The same for every login, known or not. */
export const passwordResetAcceptedSchema = z.object({ accepted: z.literal(true) });
export type PasswordResetAccepted = z.infer<typeof passwordResetAcceptedSchema>;

export const verifyEmailBodySchema = z.object({ token: linkTokenSchema }).strict();
export type VerifyEmailBody = z.infer<typeof verifyEmailBodySchema>;
export const emailVerifiedSchema = z.object({ email: z.string() });
export type EmailVerified = z.infer<typeof emailVerifiedSchema>;

/** `language`: of the member's security e-mails; without it, from Accept-Language. */
export const acceptInvitationBodySchema = z
  .object({ token: linkTokenSchema, password: newPasswordSchema, language: languageSchema.optional() })
  .strict();
export type AcceptInvitationBody = z.infer<typeof acceptInvitationBodySchema>;
export const invitationAcceptedSchema = z.object({ login: z.string() });

export const notMeReportedSchema = z.object({ login: z.string() });
export type NotMeReported = z.infer<typeof notMeReportedSchema>;

export const resyncLinkBodySchema = resyncBodySchema.extend({ token: linkTokenSchema }).strict();
export type ResyncLinkBody = z.infer<typeof resyncLinkBodySchema>;
