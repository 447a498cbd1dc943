import { z } from 'zod';
import {
  accountViewSchema,
  auditEventViewSchema,
  memberEmailSchema,
  memberViewSchema,
  teamMemberSchema,
} from './account';
import { errorCodeSchema } from './errors';

/** 200 of a sign-in that is complete: an opaque bearer token and its assurance level. */
export const sessionIssuedSchema = z.object({
  status: z.literal('authenticated'),
  token: z.string(),
  expiresAt: z.iso.datetime(),
  /** 1: password only; 2: password and second factor. */
  aal: z.union([z.literal(1), z.literal(2)]),
});
export type SessionIssued = z.infer<typeof sessionIssuedSchema>;

/** 200 of a password sign-in for a member with 2FA: POST /auth/mfa with the token and a code. */
export const mfaRequiredSchema = z.object({
  status: z.literal('mfa_required'),
  /** Single-use, bound to the member, valid until expiresAt; a wrong code leaves it usable. */
  mfaToken: z.string(),
  methods: z.tuple([z.literal('totp'), z.literal('recovery_code')]),
  expiresAt: z.iso.datetime(),
});
export type MfaRequired = z.infer<typeof mfaRequiredSchema>;

export const loginAnswerSchema = z.discriminatedUnion('status', [sessionIssuedSchema, mfaRequiredSchema]);

/** GET /me */
export const meViewSchema = z.object({
  user: memberViewSchema,
  account: accountViewSchema,
  session: z.object({
    aal: z.union([z.literal(1), z.literal(2)]),
    expiresAt: z.iso.datetime(),
    /** The account requires 2FA and this member has none: only enrolment is open. */
    restricted: z.boolean(),
  }),
  /** The member's address now: proven or not, and one waiting for its link. */
  email: memberEmailSchema,
  twoFactor: z.object({
    enabled: z.boolean(),
    recoveryCodesRemaining: z.number().int().min(0),
    /**
     * The account requires 2FA: the member must turn it on by then (restricted to enrolment
     * from that moment). Null when no deadline applies (2FA on, policy off, or exempt).
     */
    deadline: z.iso.datetime().nullable(),
  }),
});
export type MeView = z.infer<typeof meViewSchema>;

/** GET /account/two-factor-compliance: who has 2FA, who must turn it on by when, who is exempt. */
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
      /** Null when the member has 2FA, is exempt, or the policy is off. */
      deadline: z.iso.datetime().nullable(),
      exempt: z.boolean(),
    }),
  ),
});
export type ComplianceView = z.infer<typeof complianceViewSchema>;

/** How a session began: the web app, another REST client, Keystone, or an application credential. */
export const SESSION_VIAS = ['web', 'api', 'keystone', 'application_credential'] as const;
export type SessionVia = (typeof SESSION_VIAS)[number];

/** One of a member's live sessions, as the sessions list shows it (never its token). */
export const sessionViewSchema = z.object({
  /** Names the session for DELETE …/sessions/{id}; not the token, and no way to one. */
  id: z.uuid(),
  /** The session this request came with. */
  current: z.boolean(),
  createdAt: z.iso.datetime(),
  /** Updated at most once a minute while the session is used. */
  lastUsedAt: z.iso.datetime(),
  /** The client's address at sign-in, if known. */
  ip: z.string().nullable(),
  /** A readable name from the user agent, e.g. "Firefox on Linux". */
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
  /** Pass as `cursor` for the next (older) page; null on the last one. */
  nextCursor: z.string().nullable(),
});
export type AuditPage = z.infer<typeof auditPageSchema>;

/** Every REST error: a stable snake_case code and a message for people, never a secret. */
export const httpErrorSchema = z.object({
  error: z.object({
    code: errorCodeSchema,
    message: z.string(),
    /** Each invalid field of a 400. */
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    /** With a 500: quote it to support; the server logged the cause under it. */
    errorId: z.string().optional(),
  }),
});
