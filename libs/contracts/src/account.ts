import { z } from 'zod';
import { emptyRequestSchema, healthReportSchema } from './health';
import { languageSchema, memberLanguageSchema } from './language';
import { defineRpc } from './rpc';

/** `service` is held only by the platform's service users, never by a customer. */
export const ROLES = ['owner', 'admin', 'billing', 'ops', 'service'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;
export const CUSTOMER_ROLES = ['owner', 'admin', 'billing', 'ops'] as const satisfies readonly Role[];

/** The automation member: password-only sign-in, exempt from the 2FA policy. */
export const isOpsOnly = (roles: readonly Role[]): boolean =>
  roles.length > 0 && roles.every((r) => r === 'ops');
export type CustomerRole = (typeof CUSTOMER_ROLES)[number];

export const SERVICE_PROJECT_NAME = 'service';
export const SERVICE_ROLE = 'service' satisfies Role;

/** Account names are also Keystone project names: at most 64 characters, never the service project's. */
export const accountNameSchema = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty', abort: true })
  .max(64, 'must be at most 64 characters')
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u,
    'may contain letters, digits, spaces, dots, dashes and underscores',
  )
  .refine(
    (name) => name.toLowerCase() !== SERVICE_PROJECT_NAME,
    `"${SERVICE_PROJECT_NAME}" is reserved for the platform's own services`,
  );

/** Logins are unique across the system, compared case-insensitively. */
export const loginSchema = z
  .string()
  .trim()
  .min(3, { error: 'must be at least 3 characters', abort: true })
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'may contain letters, digits, dots, dashes, underscores and @');

export const emailSchema = z.email('must be an e-mail address').max(254);

/** NIST SP 800-63B: at least 12 characters, at most 256; no composition rules. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
export const newPasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);

/** Only bounded, so a huge body cannot make the hasher work for nothing; the policy is not applied here. */
export const presentedPasswordSchema = z.string().min(1, 'must not be empty').max(1024, 'is too long');

export const accountViewSchema = z.object({ id: z.uuid(), name: z.string() });
export type AccountView = z.infer<typeof accountViewSchema>;

export const memberViewSchema = z.object({
  id: z.uuid(),
  login: z.string(),
  email: z.string(),
  roles: z.array(roleSchema),
});
export type MemberView = z.infer<typeof memberViewSchema>;

export const memberWithAccountSchema = z.object({ account: accountViewSchema, user: memberViewSchema });

export const teamMemberSchema = memberViewSchema.extend({
  invitation: z.object({ expiresAt: z.iso.datetime() }).nullable(),
});
export type TeamMember = z.infer<typeof teamMemberSchema>;
export type MemberWithAccount = z.infer<typeof memberWithAccountSchema>;

export const securityStampSchema = z.string().min(1).max(64);

export const callerGrantSchema = z.object({ stamp: securityStampSchema }).strict();
export type CallerGrant = z.infer<typeof callerGrantSchema>;

/** The stamp is read before the credentials were. */
export const authenticatedMemberSchema = memberWithAccountSchema.extend({
  securityStamp: securityStampSchema,
});
export type AuthenticatedMember = z.infer<typeof authenticatedMemberSchema>;

export const signUpRequestSchema = z
  .object({
    accountName: accountNameSchema,
    login: loginSchema,
    email: emailSchema,
    password: newPasswordSchema,
    /** Of the owner's security e-mails; without it, from Accept-Language. */
    language: languageSchema.optional(),
  })
  .strict();
export type SignUpRequest = z.infer<typeof signUpRequestSchema>;

export const passwordLoginRequestSchema = z
  .object({
    login: z.string().trim().min(1, 'must not be empty').max(256, 'is too long'),
    password: presentedPasswordSchema,
  })
  .strict();
export type PasswordLoginRequest = z.infer<typeof passwordLoginRequestSchema>;

export const memberRefSchema = z.object({ memberId: z.uuid() }).strict();

export const memberPasswordRequestSchema = z
  .object({ memberId: z.uuid(), password: presentedPasswordSchema })
  .strict();
export type MemberPasswordRequest = z.infer<typeof memberPasswordRequestSchema>;

export const passwordSignInRequestSchema = z.union([passwordLoginRequestSchema, memberPasswordRequestSchema]);
export type PasswordSignInRequest = z.infer<typeof passwordSignInRequestSchema>;

/** Non-ops members are invited and choose their own password; `password` is only for ops-only members. */
export const newMemberSchema = z
  .object({
    login: loginSchema,
    email: emailSchema,
    password: newPasswordSchema.optional(),
    roles: z
      .array(z.enum(['admin', 'billing', 'ops']))
      .min(1, 'must name at least one role')
      .refine((roles) => new Set(roles).size === roles.length, 'must not repeat a role'),
  })
  .strict()
  .superRefine((member, ctx) => {
    const automation = member.roles.every((role) => role === 'ops');
    if (automation && member.password === undefined) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'is needed for an ops-only member' });
    }
    if (!automation && member.password !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['password'],
        message: 'is chosen by the member itself from its invitation: leave it out',
      });
    }
  });
export type NewMember = z.infer<typeof newMemberSchema>;

export const addMemberRequestSchema = z
  .object({ actor: z.object({ memberId: z.uuid(), accountId: z.uuid() }).strict(), member: newMemberSchema })
  .strict();
export type AddMemberRequest = z.infer<typeof addMemberRequestSchema>;

const actorSchema = z.object({ memberId: z.uuid(), accountId: z.uuid() }).strict();
const actorOnMemberSchema = z.object({ actor: actorSchema, memberId: z.uuid() }).strict();
export type ActorOnMember = z.infer<typeof actorOnMemberSchema>;

/** Roles an owner or admin may give; `owner` moves only by an ownership transfer. */
export const assignableRolesSchema = z
  .array(z.enum(['admin', 'billing', 'ops']))
  .min(1, 'must name at least one role')
  .refine((roles) => new Set(roles).size === roles.length, 'must not repeat a role');
export type AssignableRole = z.infer<typeof assignableRolesSchema>[number];
export const updateRolesBodySchema = z.object({ roles: assignableRolesSchema }).strict();
export const setPasswordBodySchema = z.object({ password: newPasswordSchema }).strict();
export const transferOwnershipBodySchema = z.object({ memberId: z.uuid() }).strict();
/** Takes effect once the e-mailed link is opened; the same address again re-sends that link. */
export const changeEmailBodySchema = z
  .object({ password: presentedPasswordSchema, email: emailSchema })
  .strict();
export type ChangeEmailBody = z.infer<typeof changeEmailBodySchema>;
export const emailChangeRequestedSchema = z.object({ pendingEmail: z.string() });
export type EmailChangeRequested = z.infer<typeof emailChangeRequestedSchema>;
export const memberEmailSchema = z.object({
  address: z.string(),
  /** Only a proven address is sent security links. */
  verified: z.boolean(),
  pending: z.string().nullable(),
});
export type MemberEmail = z.infer<typeof memberEmailSchema>;

export const changePasswordBodySchema = z
  .object({ currentPassword: presentedPasswordSchema, newPassword: newPasswordSchema })
  .strict();

export const auditEventViewSchema = z.object({
  id: z.uuid(),
  type: z.string(),
  actorId: z.uuid().nullable(),
  subjectId: z.uuid().nullable(),
  occurredAt: z.iso.datetime(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  // Primitives, and for a policy change its lists and `before` (not z.json: recursive, which OpenAPI here cannot resolve).
  details: z.record(z.string(), z.unknown()),
});
export type AuditEventView = z.infer<typeof auditEventViewSchema>;

export const auditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100').default(50),
  cursor: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor this API gave')
    .optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const GRACE_PERIOD_DAYS_MAX = 90;
export const accountPolicySchema = z
  .object({
    requireTwoFactor: z.boolean(),
    /** Days a member without 2FA keeps a full session before being restricted to enrolment; 0: at once. */
    gracePeriodDays: z
      .number({ error: 'must be a whole number of days' })
      .int('must be a whole number of days')
      .min(0, 'must be 0 or more')
      .max(GRACE_PERIOD_DAYS_MAX, `must be at most ${GRACE_PERIOD_DAYS_MAX}`),
    notifyNewDevice: z.boolean(),
    allowedSecondFactors: z
      .array(z.enum(['totp', 'webauthn']))
      .min(1, 'must allow at least one second factor')
      .transform((kinds) => [...new Set(kinds)].sort()),
    /** Members with one of these roles use a passkey once they have one (TOTP codes can be relayed). */
    phishingResistantFor: z.array(z.enum(CUSTOMER_ROLES)).transform((roles) => [...new Set(roles)].sort()),
    passwordlessSignIn: z.boolean(),
  })
  .strict();
export type AccountPolicy = z.infer<typeof accountPolicySchema>;

/** The second factors a member may use under the policy: where it has one of the required kinds, only those. */
export function usableFactors(
  policy: Pick<AccountPolicy, 'allowedSecondFactors' | 'phishingResistantFor'>,
  roles: readonly string[],
  has: readonly ('totp' | 'webauthn')[],
): ('totp' | 'webauthn')[] {
  const required = roles.some((role) => (policy.phishingResistantFor as readonly string[]).includes(role))
    ? (['webauthn'] as const).filter((kind) => policy.allowedSecondFactors.includes(kind))
    : policy.allowedSecondFactors;
  return has.some((kind) => required.includes(kind))
    ? has.filter((kind) => required.includes(kind))
    : [...has];
}
export const accountPolicyUpdateSchema = accountPolicySchema
  .partial()
  .strict()
  .refine((update) => Object.keys(update).length > 0, 'must name at least one setting');
export type AccountPolicyUpdate = z.infer<typeof accountPolicyUpdateSchema>;

/** Null when no deadline applies (policy off, or ops-only); after it, restricted to enrolment. */
export const memberPolicySchema = accountPolicySchema.extend({
  twoFactorDeadline: z.iso.datetime().nullable(),
  /** phishingResistantFor names a role of the member's: from then on, sign-ins without a passkey may only add one. */
  passkeyDeadline: z.iso.datetime().nullable(),
});
export type MemberPolicy = z.infer<typeof memberPolicySchema>;

export const complianceEntrySchema = z.object({
  user: memberViewSchema,
  exempt: z.boolean(),
  deadline: z.iso.datetime().nullable(),
});

/** 256 random bits, base64url; stored only as a hash, single-use, never logged. */
export const linkTokenSchema = z
  .string()
  .trim()
  .min(16, 'is not a token this service sent')
  .max(128, 'is not a token this service sent')
  .regex(/^[A-Za-z0-9_-]+$/, 'is not a token this service sent');

export const passwordResetRequestSchema = z
  .object({ login: z.string().trim().min(1, 'must not be empty').max(256, 'is too long') })
  .strict();
export type PasswordResetRequest = z.infer<typeof passwordResetRequestSchema>;

export const newDeviceSchema = z
  .object({
    memberId: z.uuid(),
    device: z.string().min(1).max(200),
    via: z.enum(['web', 'api', 'keystone']),
  })
  .strict();

export const AccountRpc = {
  signUp: defineRpc('account.v1.sign-up', signUpRequestSchema, memberWithAccountSchema),
  /** Counted per login and client address; an unknown member answers invalid_credentials too. */
  authenticatePassword: defineRpc(
    'account.v1.authenticate-password',
    passwordSignInRequestSchema,
    authenticatedMemberSchema,
  ),
  /** Not refused by the login's lock, and a success lifts it. */
  verifyMemberPassword: defineRpc(
    'account.v1.verify-member-password',
    memberPasswordRequestSchema,
    authenticatedMemberSchema,
  ),
  getMember: defineRpc('account.v1.get-member', memberRefSchema, memberWithAccountSchema),
  addMember: defineRpc('account.v1.members.add', addMemberRequestSchema, teamMemberSchema),
  /** The old invitation link dies. */
  resendInvitation: defineRpc('account.v1.members.invitation.resend', actorOnMemberSchema, teamMemberSchema),
  withdrawInvitation: defineRpc(
    'account.v1.members.invitation.withdraw',
    actorOnMemberSchema,
    z.object({ withdrawn: z.literal(true) }),
  ),
  acceptInvitation: defineRpc(
    'account.v1.invitation.accept',
    z
      .object({ token: linkTokenSchema, password: newPasswordSchema, language: languageSchema.optional() })
      .strict(),
    z.object({ login: z.string() }),
  ),
  /** To the confirmed address only: how a member who is not ops-only gets a new password. */
  sendPasswordResetLink: defineRpc(
    'account.v1.members.password-reset-link',
    actorOnMemberSchema,
    z.object({ sent: z.literal(true) }),
  ),
  listMembers: defineRpc(
    'account.v1.members.list',
    z.object({ actor: actorSchema }).strict(),
    z.object({ members: z.array(teamMemberSchema) }),
  ),
  getManagedMember: defineRpc('account.v1.members.get', actorOnMemberSchema, memberViewSchema),
  updateMemberRoles: defineRpc(
    'account.v1.members.update-roles',
    actorOnMemberSchema.extend({ roles: assignableRolesSchema }),
    memberViewSchema,
  ),
  removeMember: defineRpc(
    'account.v1.members.remove',
    actorOnMemberSchema,
    z.object({ removed: z.literal(true) }),
  ),
  /** Also lifts the sign-in lock. */
  setMemberPassword: defineRpc(
    'account.v1.members.set-password',
    actorOnMemberSchema.extend({ password: newPasswordSchema }),
    z.object({ changed: z.literal(true) }),
  ),
  changePassword: defineRpc(
    'account.v1.change-password',
    z
      .object({
        memberId: z.uuid(),
        currentPassword: presentedPasswordSchema,
        newPassword: newPasswordSchema,
        grant: callerGrantSchema.optional(),
      })
      .strict(),
    z.object({ changed: z.literal(true), securityStamp: securityStampSchema.optional() }),
  ),
  endOwnSessions: defineRpc(
    'account.v1.sessions.end-own',
    memberRefSchema.extend({ grant: callerGrantSchema.optional() }),
    z.object({ ended: z.literal(true), securityStamp: securityStampSchema.optional() }),
  ),
  endMemberSessions: defineRpc(
    'account.v1.members.end-sessions',
    actorOnMemberSchema,
    z.object({ ended: z.literal(true) }),
  ),
  listAuditEvents: defineRpc(
    'account.v1.audit.list',
    z.object({ actor: actorSchema, query: auditQuerySchema }).strict(),
    z.object({ events: z.array(auditEventViewSchema), nextCursor: z.string().nullable() }),
  ),
  /** Answered the same for every login (unknown, service user, over its limit); the link is sent later. */
  requestPasswordReset: defineRpc(
    'account.v1.password-reset.request',
    passwordResetRequestSchema,
    z.object({ accepted: z.literal(true) }),
  ),
  checkPasswordReset: defineRpc(
    'account.v1.password-reset.check',
    z.object({ token: linkTokenSchema }).strict(),
    z.object({ memberId: z.uuid() }),
  ),
  /** The caller has checked the second factor of a member with 2FA. */
  completePasswordReset: defineRpc(
    'account.v1.password-reset.complete',
    z.object({ token: linkTokenSchema, newPassword: newPasswordSchema }).strict(),
    z.object({ changed: z.literal(true) }),
  ),
  reportNotMe: defineRpc(
    'account.v1.security.not-me',
    z.object({ token: linkTokenSchema }).strict(),
    z.object({ login: z.string() }),
  ),
  requestResync: defineRpc(
    'account.v1.members.two-factor-resync-link',
    actorOnMemberSchema,
    z.object({ sent: z.literal(true) }),
  ),
  checkResyncLink: defineRpc(
    'account.v1.two-factor-resync-link.check',
    z.object({ token: linkTokenSchema }).strict(),
    z.object({ memberId: z.uuid() }),
  ),
  /** The link is spent after a few wrong codes: its holder may have the mailbox and nothing else. */
  linkCodeFailed: defineRpc(
    'account.v1.links.code-failed',
    z.object({ token: linkTokenSchema, purpose: z.enum(['password_reset', 'two_factor_resync']) }).strict(),
    z.object({ spent: z.boolean() }),
  ),
  useResyncLink: defineRpc(
    'account.v1.two-factor-resync-link.use',
    z.object({ token: linkTokenSchema }).strict(),
    z.object({ used: z.literal(true) }),
  ),
  requestEmailChange: defineRpc(
    'account.v1.email.change',
    z
      .object({
        memberId: z.uuid(),
        password: presentedPasswordSchema,
        email: emailSchema,
        grant: callerGrantSchema,
      })
      .strict(),
    emailChangeRequestedSchema,
  ),
  verifyEmail: defineRpc(
    'account.v1.email.verify',
    z.object({ token: linkTokenSchema }).strict(),
    z.object({ email: z.string() }),
  ),
  emailOf: defineRpc('account.v1.email.of', memberRefSchema, memberEmailSchema),
  languageOf: defineRpc('account.v1.language.of', memberRefSchema, memberLanguageSchema),
  setLanguage: defineRpc(
    'account.v1.language.set',
    memberRefSchema.extend({ language: languageSchema }),
    memberLanguageSchema,
  ),
  reportNewDevice: defineRpc(
    'account.v1.sign-in.new-device',
    newDeviceSchema,
    z.object({ notified: z.boolean() }),
  ),
  recordSessionEnded: defineRpc(
    'account.v1.sessions.ended-one',
    z.object({ memberId: z.uuid(), sessionId: z.uuid(), device: z.string().max(200) }).strict(),
    z.object({ recorded: z.literal(true) }),
  ),
  policyOfMember: defineRpc('account.v1.policy.of-member', memberRefSchema, memberPolicySchema),
  /** Without who has 2FA: otp-service says. */
  twoFactorCompliance: defineRpc(
    'account.v1.two-factor-compliance',
    z.object({ actor: actorSchema }).strict(),
    z.object({ policy: accountPolicySchema, members: z.array(complianceEntrySchema) }),
  ),
  /** Restricts the member to enrolment at once, without a new grace period. */
  noteTwoFactorReset: defineRpc(
    'account.v1.members.two-factor-reset',
    memberRefSchema,
    z.object({ noted: z.literal(true) }),
  ),
  getPolicy: defineRpc(
    'account.v1.policy.get',
    z.object({ actor: actorSchema }).strict(),
    accountPolicySchema,
  ),
  updatePolicy: defineRpc(
    'account.v1.policy.update',
    z.object({ actor: actorSchema, policy: accountPolicyUpdateSchema }).strict(),
    accountPolicySchema,
  ),
  transferOwnership: defineRpc(
    'account.v1.ownership.transfer',
    actorOnMemberSchema,
    z.object({ owner: memberViewSchema, previousOwner: memberViewSchema }),
  ),
  health: defineRpc('account.v1.health', emptyRequestSchema, healthReportSchema),
} as const;
