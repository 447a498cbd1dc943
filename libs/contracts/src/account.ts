import { z } from 'zod';
import { emptyRequestSchema, healthReportSchema } from './health';
import { defineRpc } from './rpc';

/**
 * A customer account's roles, and `service`: the role of the platform's service users (in the
 * reserved `service` project, as Keystone deployments have them), which no customer holds.
 */
export const ROLES = ['owner', 'admin', 'billing', 'ops', 'service'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;
export const CUSTOMER_ROLES = ['owner', 'admin', 'billing', 'ops'] as const satisfies readonly Role[];

/** The automation member: password-only sign-in, exempt from the 2FA policy. */
export const isOpsOnly = (roles: readonly Role[]): boolean =>
  roles.length > 0 && roles.every((r) => r === 'ops');
export type CustomerRole = (typeof CUSTOMER_ROLES)[number];

/** The reserved project (account) of the platform's service users. Never a customer's name. */
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

/**
 * A password presented at sign-in. The policy is never applied here (it only compares), but
 * the length is bounded so a huge body cannot make the hasher work for nothing.
 */
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

/** A member as the team sees it: with its invitation, while it has not chosen its password. */
export const teamMemberSchema = memberViewSchema.extend({
  invitation: z.object({ expiresAt: z.iso.datetime() }).nullable(),
});
export type TeamMember = z.infer<typeof teamMemberSchema>;
export type MemberWithAccount = z.infer<typeof memberWithAccountSchema>;

/**
 * A member's security stamp (kept in Redis, see SecurityStamps): a grant — a session, an MFA token,
 * a Keystone receipt — records it and is valid only while it is still the member's stamp.
 */
export const securityStampSchema = z.string().min(1).max(64);

/**
 * The grant a member's own change is made from (its session or token): the change is made only
 * while that grant's stamp is still the member's, and no other change comes in between.
 */
export const callerGrantSchema = z.object({ stamp: securityStampSchema }).strict();
export type CallerGrant = z.infer<typeof callerGrantSchema>;

/** A member whose password was just proven, with the stamp read before the credentials were. */
export const authenticatedMemberSchema = memberWithAccountSchema.extend({
  securityStamp: securityStampSchema,
});
export type AuthenticatedMember = z.infer<typeof authenticatedMemberSchema>;

/** Sign-up: a new account and its owner. */
export const signUpRequestSchema = z
  .object({
    accountName: accountNameSchema,
    login: loginSchema,
    email: emailSchema,
    password: newPasswordSchema,
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

/** Re-authentication of a signed-in member (before enabling 2FA, for example). */
export const memberPasswordRequestSchema = z
  .object({ memberId: z.uuid(), password: presentedPasswordSchema })
  .strict();
export type MemberPasswordRequest = z.infer<typeof memberPasswordRequestSchema>;

/** A password sign-in naming the member by login (REST, Keystone by name, v2.0) or by id (Keystone). */
export const passwordSignInRequestSchema = z.union([passwordLoginRequestSchema, memberPasswordRequestSchema]);
export type PasswordSignInRequest = z.infer<typeof passwordSignInRequestSchema>;

/**
 * A new team member, added by an owner or admin. `owner` is never given this way. Nobody knows
 * another person's password: a member who is not ops-only is invited — e-mailed a link on whose
 * page it chooses its own — so `password` is given only for an ops-only (automation) member,
 * whose long random password the caller generates and keeps.
 */
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
/**
 * PUT /api/v1/me/email: a new address (the current password first). It takes effect once the
 * link e-mailed to it is opened; the same address again re-sends the link of an unconfirmed one.
 */
export const changeEmailBodySchema = z
  .object({ password: presentedPasswordSchema, email: emailSchema })
  .strict();
export type ChangeEmailBody = z.infer<typeof changeEmailBodySchema>;
/** 202 of a change of address: where the link to confirm it went. */
export const emailChangeRequestedSchema = z.object({ pendingEmail: z.string() });
export type EmailChangeRequested = z.infer<typeof emailChangeRequestedSchema>;
/** A member's address as Account Settings shows it. */
export const memberEmailSchema = z.object({
  address: z.string(),
  /** Proven by the link e-mailed to it: only a proven address is sent security links. */
  verified: z.boolean(),
  /** A new address waiting for its link to be opened. */
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
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type AuditEventView = z.infer<typeof auditEventViewSchema>;

/** ?limit=&cursor= of the audit log: newest first, the cursor opaque. */
export const auditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100').default(50),
  cursor: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor this API gave')
    .optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** Account policy. */
/** How long members without 2FA have to enrol once the policy applies to them: 0 to 90 days. */
export const GRACE_PERIOD_DAYS_MAX = 90;
export const accountPolicySchema = z
  .object({
    /** Every member who is not ops-only must have 2FA. */
    requireTwoFactor: z.boolean(),
    /**
     * Days a member without 2FA keeps a full session after the policy starts (or after joining
     * later) before being restricted to enrolment; 0: at once.
     */
    gracePeriodDays: z
      .number({ error: 'must be a whole number of days' })
      .int('must be a whole number of days')
      .min(0, 'must be 0 or more')
      .max(GRACE_PERIOD_DAYS_MAX, `must be at most ${GRACE_PERIOD_DAYS_MAX}`),
    /** E-mail a member when it signs in from a device it has not used before (default on). */
    notifyNewDevice: z.boolean(),
  })
  .strict();
export type AccountPolicy = z.infer<typeof accountPolicySchema>;
/** PUT /account/policy: the settings to change; those left out keep their value. */
export const accountPolicyUpdateSchema = accountPolicySchema
  .partial()
  .strict()
  .refine((update) => Object.keys(update).length > 0, 'must name at least one setting');
export type AccountPolicyUpdate = z.infer<typeof accountPolicyUpdateSchema>;

/**
 * The account policy as it bears on one member: when it must have 2FA by (null when no deadline
 * applies: the policy is off, or the member is exempt as an ops-only member). A member without
 * 2FA is restricted to enrolment from that moment.
 */
export const memberPolicySchema = accountPolicySchema.extend({
  twoFactorDeadline: z.iso.datetime().nullable(),
});
export type MemberPolicy = z.infer<typeof memberPolicySchema>;

/** One member in the account's 2FA compliance list (account-service's part: who, exempt, deadline). */
export const complianceEntrySchema = z.object({
  user: memberViewSchema,
  /** Ops-only automation members sign in by password whatever the policy. */
  exempt: z.boolean(),
  /** When the member must have 2FA by, if the policy applies to it (null if it already has 2FA). */
  deadline: z.iso.datetime().nullable(),
});

/**
 * The token of an e-mailed link (a password reset, "this wasn't me"): 256 random bits, base64url.
 * Stored only as a hash, single-use, and never logged.
 */
export const linkTokenSchema = z
  .string()
  .trim()
  .min(16, 'is not a token this service sent')
  .max(128, 'is not a token this service sent')
  .regex(/^[A-Za-z0-9_-]+$/, 'is not a token this service sent');

/** POST /api/v1/auth/password-reset: always answered the same way, whether the login exists or not. */
export const passwordResetRequestSchema = z
  .object({ login: z.string().trim().min(1, 'must not be empty').max(256, 'is too long') })
  .strict();
export type PasswordResetRequest = z.infer<typeof passwordResetRequestSchema>;

/** A member whose sign-in the gateway saw from a device it had not seen for that member. */
export const newDeviceSchema = z
  .object({
    memberId: z.uuid(),
    /** A readable name, e.g. "Firefox on Linux". */
    device: z.string().min(1).max(200),
    via: z.enum(['web', 'api', 'keystone']),
  })
  .strict();

export const AccountRpc = {
  /** Creates an account with its owner. Errors: account_name_taken, login_taken. */
  signUp: defineRpc('account.v1.sign-up', signUpRequestSchema, memberWithAccountSchema),
  /**
   * A password sign-in, by login or by member id, counted per login and client address.
   * Errors: invalid_credentials (the same for an unknown member), too_many_attempts, sign_in_locked.
   */
  authenticatePassword: defineRpc(
    'account.v1.authenticate-password',
    passwordSignInRequestSchema,
    authenticatedMemberSchema,
  ),
  /**
   * A signed-in member proving the password again (before enrolling 2FA): counted like a sign-in,
   * but not refused by the login's lock, and a success lifts it.
   * Errors: invalid_credentials, too_many_attempts.
   */
  verifyMemberPassword: defineRpc(
    'account.v1.verify-member-password',
    memberPasswordRequestSchema,
    authenticatedMemberSchema,
  ),
  /** A member and its account. Errors: not_found. */
  getMember: defineRpc('account.v1.get-member', memberRefSchema, memberWithAccountSchema),
  /** Adds a member to the actor's account. Errors: forbidden (not owner/admin), login_taken. */
  addMember: defineRpc('account.v1.members.add', addMemberRequestSchema, teamMemberSchema),
  /** E-mails an invited member a new invitation (the old link dies). Errors: forbidden, not_found, validation_failed (not invited). */
  resendInvitation: defineRpc('account.v1.members.invitation.resend', actorOnMemberSchema, teamMemberSchema),
  /** Withdraws an invitation not yet accepted: the member goes. Errors: forbidden, not_found, validation_failed. */
  withdrawInvitation: defineRpc(
    'account.v1.members.invitation.withdraw',
    actorOnMemberSchema,
    z.object({ withdrawn: z.literal(true) }),
  ),
  /** The invited member chooses its password on its invitation's page (proving its address). Errors: link_invalid. */
  acceptInvitation: defineRpc(
    'account.v1.invitation.accept',
    z.object({ token: linkTokenSchema, password: newPasswordSchema }).strict(),
    z.object({ login: z.string() }),
  ),
  /**
   * An owner or admin e-mails a member a password reset link (to its confirmed address): how a
   * member who is not ops-only gets a new password. Errors: forbidden, not_found, email_not_verified.
   */
  sendPasswordResetLink: defineRpc(
    'account.v1.members.password-reset-link',
    actorOnMemberSchema,
    z.object({ sent: z.literal(true) }),
  ),
  /** The members of the actor's account. Errors: forbidden. */
  listMembers: defineRpc(
    'account.v1.members.list',
    z.object({ actor: actorSchema }).strict(),
    z.object({ members: z.array(teamMemberSchema) }),
  ),
  /**
   * A member of the actor's account that the actor may act on (ACCESS_POLICIES.manageMember's
   * target rule). Errors: forbidden, use_me_route, not_found.
   */
  getManagedMember: defineRpc('account.v1.members.get', actorOnMemberSchema, memberViewSchema),
  /** Errors: forbidden (also for the owner's roles), use_me_route, not_found. */
  updateMemberRoles: defineRpc(
    'account.v1.members.update-roles',
    actorOnMemberSchema.extend({ roles: assignableRolesSchema }),
    memberViewSchema,
  ),
  /** Errors: forbidden (the owner cannot be removed), use_me_route, not_found. */
  removeMember: defineRpc(
    'account.v1.members.remove',
    actorOnMemberSchema,
    z.object({ removed: z.literal(true) }),
  ),
  /** An admin sets a member's password (lifting a lock). Errors: forbidden, use_me_route, not_found. */
  setMemberPassword: defineRpc(
    'account.v1.members.set-password',
    actorOnMemberSchema.extend({ password: newPasswordSchema }),
    z.object({ changed: z.literal(true) }),
  ),
  /**
   * A member changes their own password (the current one first), from `grant`; answers the
   * member's new security stamp for the caller's grant to take on — none if another change of
   * the member came in between. Errors: invalid_credentials, too_many_attempts, unauthenticated
   * (the grant ended: nothing changed).
   */
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
  /**
   * A member signs out everywhere else: every session, Keystone token and pending sign-in ends
   * with the member's security stamp, which the caller's own session takes on. Errors: not_found.
   */
  endOwnSessions: defineRpc(
    'account.v1.sessions.end-own',
    memberRefSchema.extend({ grant: callerGrantSchema.optional() }),
    z.object({ ended: z.literal(true), securityStamp: securityStampSchema.optional() }),
  ),
  /** An owner or admin signs a member out everywhere. Errors: forbidden, use_me_route, not_found. */
  endMemberSessions: defineRpc(
    'account.v1.members.end-sessions',
    actorOnMemberSchema,
    z.object({ ended: z.literal(true) }),
  ),
  /** The account's security events, newest first. Errors: forbidden, validation_failed (bad cursor). */
  listAuditEvents: defineRpc(
    'account.v1.audit.list',
    z.object({ actor: actorSchema, query: auditQuerySchema }).strict(),
    z.object({ events: z.array(auditEventViewSchema), nextCursor: z.string().nullable() }),
  ),
  /**
   * Asks for a password reset link for a login. Answered the same, and as soon as counted, for
   * every login (known, unknown, a service user, over its per-login limit): the link is e-mailed
   * afterwards, only to a customer member, at most a few times an hour per login.
   */
  requestPasswordReset: defineRpc(
    'account.v1.password-reset.request',
    passwordResetRequestSchema,
    z.object({ accepted: z.literal(true) }),
  ),
  /** Whose password a reset link would change, without using it. Errors: link_invalid. */
  checkPasswordReset: defineRpc(
    'account.v1.password-reset.check',
    z.object({ token: linkTokenSchema }).strict(),
    z.object({ memberId: z.uuid() }),
  ),
  /**
   * Uses a reset link (once): the new password, every session and sign-in in flight of the member
   * ended, the sign-in lock and a "this wasn't me" stop lifted. The caller has checked the second
   * factor of a member with 2FA. Errors: link_invalid.
   */
  completePasswordReset: defineRpc(
    'account.v1.password-reset.complete',
    z.object({ token: linkTokenSchema, newPassword: newPasswordSchema }).strict(),
    z.object({ changed: z.literal(true) }),
  ),
  /**
   * "This wasn't me", from the link of a security e-mail (once): the member is signed out
   * everywhere, its application credentials are deleted and password sign-in stops until a reset;
   * the account's owners and admins are told. Answers the member's login, for the reset that
   * follows. Errors: link_invalid.
   */
  reportNotMe: defineRpc(
    'account.v1.security.not-me',
    z.object({ token: linkTokenSchema }).strict(),
    z.object({ login: z.string() }),
  ),
  /**
   * An owner or admin e-mails a member a single-use link to realign its authenticator (a member
   * whose drifted phone keeps it out). Errors: forbidden, use_me_route, not_found.
   */
  requestResync: defineRpc(
    'account.v1.members.two-factor-resync-link',
    actorOnMemberSchema,
    z.object({ sent: z.literal(true) }),
  ),
  /** Whose authenticator a resync link realigns, without using it. Errors: link_invalid. */
  checkResyncLink: defineRpc(
    'account.v1.two-factor-resync-link.check',
    z.object({ token: linkTokenSchema }).strict(),
    z.object({ memberId: z.uuid() }),
  ),
  /**
   * A wrong code came with an e-mailed link (a reset, a resync): counted against the link, which
   * is spent after a few (its holder may have the mailbox and nothing else).
   */
  linkCodeFailed: defineRpc(
    'account.v1.links.code-failed',
    z.object({ token: linkTokenSchema, purpose: z.enum(['password_reset', 'two_factor_resync']) }).strict(),
    z.object({ spent: z.boolean() }),
  ),
  /** Spends a resync link once it has realigned the authenticator. Errors: link_invalid. */
  useResyncLink: defineRpc(
    'account.v1.two-factor-resync-link.use',
    z.object({ token: linkTokenSchema }).strict(),
    z.object({ used: z.literal(true) }),
  ),
  /**
   * A member asks to change its address (the current password first, from `grant`); the new one is
   * e-mailed a link to confirm it. Errors: invalid_credentials, too_many_attempts, unauthenticated.
   */
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
  /** Opens a link to confirm an address: the member's own, or the new one it asked for. Errors: link_invalid. */
  verifyEmail: defineRpc(
    'account.v1.email.verify',
    z.object({ token: linkTokenSchema }).strict(),
    z.object({ email: z.string() }),
  ),
  /** The member's address, whether it is proven, and one waiting to be. Errors: not_found. */
  emailOf: defineRpc('account.v1.email.of', memberRefSchema, memberEmailSchema),
  /** A sign-in from a device new to the member: e-mailed if the account's policy says so. */
  reportNewDevice: defineRpc(
    'account.v1.sign-in.new-device',
    newDeviceSchema,
    z.object({ notified: z.boolean() }),
  ),
  /** The member ended one of its sessions (audited). Errors: not_found. */
  recordSessionEnded: defineRpc(
    'account.v1.sessions.ended-one',
    z.object({ memberId: z.uuid(), sessionId: z.uuid(), device: z.string().max(200) }).strict(),
    z.object({ recorded: z.literal(true) }),
  ),
  /** The policy of a member's account and the member's 2FA deadline, for sign-in decisions. Errors: not_found. */
  policyOfMember: defineRpc('account.v1.policy.of-member', memberRefSchema, memberPolicySchema),
  /**
   * The account's members with their 2FA deadlines (without knowing who has 2FA: otp-service
   * says). Errors: forbidden (not owner/admin).
   */
  twoFactorCompliance: defineRpc(
    'account.v1.two-factor-compliance',
    z.object({ actor: actorSchema }).strict(),
    z.object({ policy: accountPolicySchema, members: z.array(complianceEntrySchema) }),
  ),
  /**
   * A member's 2FA was reset (by an admin, or the platform's operator): under the policy, the
   * member is restricted to enrolment at once, without a new grace period. Errors: not_found.
   */
  noteTwoFactorReset: defineRpc(
    'account.v1.members.two-factor-reset',
    memberRefSchema,
    z.object({ noted: z.literal(true) }),
  ),
  /** Errors: forbidden (not owner/admin). */
  getPolicy: defineRpc(
    'account.v1.policy.get',
    z.object({ actor: actorSchema }).strict(),
    accountPolicySchema,
  ),
  /** Errors: forbidden (not owner/admin). */
  updatePolicy: defineRpc(
    'account.v1.policy.update',
    z.object({ actor: actorSchema, policy: accountPolicyUpdateSchema }).strict(),
    accountPolicySchema,
  ),
  /** The owner hands ownership to another member, becoming an admin. Errors: forbidden, not_found. */
  transferOwnership: defineRpc(
    'account.v1.ownership.transfer',
    actorOnMemberSchema,
    z.object({ owner: memberViewSchema, previousOwner: memberViewSchema }),
  ),
  health: defineRpc('account.v1.health', emptyRequestSchema, healthReportSchema),
} as const;
