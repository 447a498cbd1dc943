import { z } from 'zod';
import {
  accountViewSchema,
  auditEventViewSchema,
  memberEmailSchema,
  memberViewSchema,
  teamMemberSchema,
} from './account';
import { errorCodeSchema } from './errors';
import { languageSchema } from './language';
import { secondFactorKindSchema } from './otp';
import { requestOptionsSchema } from './webauthn';

/** How the session's member was proven, in RFC 8176's words (pwd, otp, hwk/swk; mfa: a passkey alone, verified). */
export const amrSchema = z.array(z.enum(['pwd', 'otp', 'hwk', 'swk', 'mfa']));
export type Amr = z.infer<typeof amrSchema>;

export const sessionIssuedSchema = z.object({
  status: z.literal('authenticated'),
  token: z.string(),
  expiresAt: z.iso.datetime(),
  /** 1: password only; 2: password and second factor. */
  aal: z.union([z.literal(1), z.literal(2)]),
  amr: amrSchema,
});
export type SessionIssued = z.infer<typeof sessionIssuedSchema>;

export const mfaRequiredSchema = z.object({
  status: z.literal('mfa_required'),
  /** Single-use, bound to the member, valid until expiresAt; a wrong code leaves it usable. */
  mfaToken: z.string(),
  /** The member's, strongest first: `webauthn` (then `webauthn.options` is there), `totp`, `recovery_code`. */
  methods: z.array(z.enum(['webauthn', 'totp', 'recovery_code'])),
  webauthn: z.object({ options: requestOptionsSchema }).optional(),
  expiresAt: z.iso.datetime(),
});
export type MfaRequired = z.infer<typeof mfaRequiredSchema>;

export const loginAnswerSchema = z.discriminatedUnion('status', [sessionIssuedSchema, mfaRequiredSchema]);

export const meViewSchema = z.object({
  /** `language`: of the member's security e-mails (PUT /api/v1/me/language). */
  user: memberViewSchema.extend({ language: languageSchema }),
  account: accountViewSchema,
  session: z.object({
    aal: z.union([z.literal(1), z.literal(2)]),
    amr: amrSchema,
    expiresAt: z.iso.datetime(),
    /** The account requires 2FA and this member has none: only enrolment is open. */
    restricted: z.boolean(),
  }),
  email: memberEmailSchema,
  twoFactor: z.object({
    enabled: z.boolean(),
    /** The account's policy requires 2FA of this member, so it cannot be turned off. */
    required: z.boolean(),
    factors: z.array(secondFactorKindSchema),
    recoveryCodesRemaining: z.number().int().min(0),
    /** Restricted to enrolment from then; null when no deadline applies (2FA on, policy off, exempt). */
    deadline: z.iso.datetime().nullable(),
    passkeyDeadline: z.iso.datetime().nullable(),
  }),
});
export type MeView = z.infer<typeof meViewSchema>;

export const complianceViewSchema = z.object({
  requireTwoFactor: z.boolean(),
  gracePeriodDays: z.number().int(),
  members: z.array(
    z.object({
      id: z.uuid(),
      login: z.string(),
      email: z.string(),
      roles: z.array(z.string()),
      enabled: z.boolean(),
      deadline: z.iso.datetime().nullable(),
      exempt: z.boolean(),
    }),
  ),
});
export type ComplianceView = z.infer<typeof complianceViewSchema>;

export const SESSION_VIAS = ['web', 'api', 'keystone', 'application_credential'] as const;
export type SessionVia = (typeof SESSION_VIAS)[number];

export const sessionViewSchema = z.object({
  /** Not the token, and no way to one. */
  id: z.uuid(),
  current: z.boolean(),
  createdAt: z.iso.datetime(),
  /** Updated at most once a minute while the session is used. */
  lastUsedAt: z.iso.datetime(),
  ip: z.string().nullable(),
  device: z.string(),
  aal: z.union([z.literal(1), z.literal(2)]),
  via: z.enum(SESSION_VIAS),
});
export type SessionView = z.infer<typeof sessionViewSchema>;
export const sessionListSchema = z.object({ sessions: z.array(sessionViewSchema) });
export type SessionList = z.infer<typeof sessionListSchema>;

export const memberListSchema = z.object({ members: z.array(teamMemberSchema) });

export const auditPageSchema = z.object({
  events: z.array(auditEventViewSchema),
  nextCursor: z.string().nullable(),
});
export type AuditPage = z.infer<typeof auditPageSchema>;

/** The message is for people and never holds a secret. */
export const httpErrorSchema = z.object({
  error: z.object({
    code: errorCodeSchema,
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    /** With a 500: the server logged the cause under it. */
    errorId: z.string().optional(),
  }),
});
