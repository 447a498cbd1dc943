import { z } from 'zod';
import { memberRefSchema } from './account';
import { emptyRequestSchema, healthReportSchema } from './health';
import { defineRpc } from './rpc';

export const twoFactorStatusSchema = z.object({
  enabled: z.boolean(),
  pending: z.boolean(),
  enabledAt: z.iso.datetime().nullable(),
  recoveryCodesRemaining: z.number().int().min(0),
});
export type TwoFactorStatus = z.infer<typeof twoFactorStatusSchema>;

export const OtpRpc = {
  /** A member's 2FA state. A member without a credential has 2FA off. */
  status: defineRpc('otp.v1.status', memberRefSchema, twoFactorStatusSchema),
  health: defineRpc('otp.v1.health', emptyRequestSchema, healthReportSchema),
} as const;
