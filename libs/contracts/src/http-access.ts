import { z } from 'zod';
import { DomainError } from './errors';
import { memberLanguageSchema } from './language';
import { emptyRequestSchema } from './health';
import {
  applicationCredentialSchema,
  createdApplicationCredentialSchema,
  newApplicationCredentialSchema,
} from './application-credentials';
import {
  acceptInvitationBodySchema,
  emailVerifiedSchema,
  invitationAcceptedSchema,
  notMeBodySchema,
  notMeReportedSchema,
  verifyEmailBodySchema,
  passwordResetAcceptedSchema,
  passwordResetConfirmBodySchema,
  resyncLinkBodySchema,
} from './account-security';
import {
  accountPolicySchema,
  accountPolicyUpdateSchema,
  passwordResetRequestSchema,
  auditQuerySchema,
  changeEmailBodySchema,
  changePasswordBodySchema,
  emailChangeRequestedSchema,
  memberViewSchema,
  memberWithAccountSchema,
  newMemberSchema,
  passwordLoginRequestSchema,
  type Role,
  setPasswordBodySchema,
  signUpRequestSchema,
  teamMemberSchema,
  transferOwnershipBodySchema,
  updateRolesBodySchema,
} from './account';
import {
  auditPageSchema,
  complianceViewSchema,
  loginAnswerSchema,
  meViewSchema,
  memberListSchema,
  sessionIssuedSchema,
  sessionListSchema,
} from './http-views';
import {
  codeBodySchema,
  codeTestSchema,
  confirmedEnrollmentSchema,
  enrollmentSchema,
  mfaOptionsBodySchema,
  mfaRequestSchema,
  recoveryCodesSchema,
  resyncBodySchema,
  resyncedSchema,
  startEnrollmentBodySchema,
  steppedUpSchema,
  stepUpBodySchema,
  twoFactorStatusSchema,
} from './otp';
import {
  creationOptionsSchema,
  newPasskeyBodySchema,
  passkeyAddedSchema,
  passkeyNameSchema,
  passkeySchema,
  passwordlessBodySchema,
  passwordlessOptionsSchema,
  requestOptionsSchema,
} from './webauthn';
import {
  v2AuthRequestSchema,
  v3AuthRequestSchema,
  v3NewApplicationCredentialSchema,
  v3PasswordChangeSchema,
} from './keystone';

/** `restricted`: the account requires 2FA and the member has none, so the session may only enrol. */
export const SESSION_KINDS = ['restricted', 'password', 'second_factor'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export interface AccessPolicy {
  /** Service users (role `service`) are no customer's members: every policy refuses them. */
  roles: readonly Role[] | 'any';
  sessions: readonly SessionKind[];
  target?: TargetRule;
  /** The strongest factor proven lately on this session, so an idle or stolen session alone cannot. */
  stepUp?: true;
}

export const MEMBER_TARGETS = ['self', 'owner', 'member'] as const;
export type MemberTarget = (typeof MEMBER_TARGETS)[number];

/** `self` is refused: the /me routes do that, with checks the team routes skip (password, second factor). */
export interface TargetRule {
  self: 'refused';
  owner: readonly Role[];
}

export const targetOf = (
  actor: { memberId: string },
  member: { id: string; roles: readonly Role[] },
): MemberTarget =>
  member.id === actor.memberId ? 'self' : member.roles.includes('owner') ? 'owner' : 'member';

/** Checked by the gateway before reading the body, and again by account-service where the change is made. */
export function authorizeTarget(
  rule: TargetRule,
  actor: { memberId: string; roles: readonly Role[] },
  member: { id: string; roles: readonly Role[] },
): void {
  const target = targetOf(actor, member);
  if (target === 'self') {
    throw new DomainError(
      'use_me_route',
      'This route acts on other members. For your own password and 2FA use PUT /api/v1/me/password and DELETE /api/v1/me/two-factor (Account Settings); your roles change only through another owner or admin, or an ownership transfer.',
    );
  }
  if (target === 'owner' && !actor.roles.some((role) => rule.owner.includes(role))) {
    throw new DomainError(
      'forbidden',
      "Only the owner changes the owner's password, 2FA or roles; ownership moves only by a transfer from the owner.",
    );
  }
}

const FULL_SESSION: readonly SessionKind[] = ['password', 'second_factor'];

/** The authorization matrix: every protected route names one; tests enumerate policy × role × session. */
export const ACCESS_POLICIES = {
  /** Open to restricted sessions too, so they can enrol and sign out. */
  signedIn: { roles: 'any', sessions: SESSION_KINDS },
  self: { roles: 'any', sessions: FULL_SESSION },
  /** Weakening or re-issuing the second factor: only from a session that used it. */
  selfWithSecondFactor: { roles: 'any', sessions: ['second_factor'] },
  /** Adding a second factor: open to restricted sessions, whose way out it is. */
  addFactor: { roles: 'any', sessions: SESSION_KINDS, stepUp: true },
  selfWithStepUp: { roles: 'any', sessions: FULL_SESSION, stepUp: true },
  manageMembers: { roles: ['owner', 'admin'], sessions: FULL_SESSION },
  manageMember: {
    roles: ['owner', 'admin'],
    sessions: FULL_SESSION,
    target: { self: 'refused', owner: ['owner'] },
  },
  changeMember: {
    roles: ['owner', 'admin'],
    sessions: FULL_SESSION,
    target: { self: 'refused', owner: ['owner'] },
    stepUp: true,
  },
  readAudit: { roles: ['owner', 'admin'], sessions: FULL_SESSION },
  transferOwnership: { roles: ['owner'], sessions: FULL_SESSION, stepUp: true },
  managePolicy: { roles: ['owner', 'admin'], sessions: FULL_SESSION },
  changePolicy: { roles: ['owner', 'admin'], sessions: FULL_SESSION, stepUp: true },
} as const satisfies Record<string, AccessPolicy>;

export type AccessPolicyName = keyof typeof ACCESS_POLICIES;

/**
 * `keystone`: Keystone's public routes (versions, token issue) and the token routes, which look up
 * caller and subject token at once; `keystoneToken`: an X-Auth-Token, then the route's KeystoneRule.
 */
export type RouteAccess = AccessPolicyName | 'public' | 'keystone' | 'keystoneToken';

export const isPolicy = (access: RouteAccess): access is AccessPolicyName =>
  Object.hasOwn(ACCESS_POLICIES, access);
export const isKeystoneRoute = (route: HttpRoute): boolean =>
  route.access === 'keystone' || route.access === 'keystoneToken';

/** Keystone 22's policy for a user's own resources, with the rule it names when it refuses. */
export interface KeystoneRule {
  rule?: string;
  /** The path parameter that must name the caller (`userId`) or the caller's project (`projectId`). */
  self?: 'userId' | 'projectId';
  /** Keystone 22 (fixture j1): a credential's token manages neither credentials nor the password. */
  credentialTokens?: 'refused';
  /** An unscoped token has no catalog (fixtures b1–b3). */
  scoped?: true;
}

export interface HttpRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  access: RouteAccess;
  summary: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  /** One schema per `:name` of the path, each parsed on its own so a 400 names the parameter. */
  params?: Record<string, z.ZodType>;
  response: { status: 200 | 201 | 202 | 204 | 300; body?: z.ZodType };
  keystone?: KeystoneRule;
}

/** Keeps each entry's own schemas in its type, so handlers and clients are checked against them. */
const route = <const R extends HttpRoute>(entry: R): R => entry;
const ok = <B extends z.ZodType>(body: B) => ({ status: 200 as const, body });
const created = <B extends z.ZodType>(body: B) => ({ status: 201 as const, body });
const NO_CONTENT = { status: 204 as const };
/** Keystone's answers are Keystone's documents (docs.openstack.org/api-ref/identity/v3), made by its presenter. */
const keystoneDocument = z.record(z.string(), z.unknown());
const KEYSTONE = ok(keystoneDocument);
const applicationCredentialListSchema = z.object({ credentials: z.array(applicationCredentialSchema) });

const memberId = { id: z.uuid('must be a member id') };
const credentialId = z.uuid('must be an id');
const keystoneUser = { userId: z.string() };
const keystoneCredential = { ...keystoneUser, credentialId: z.string() };
const nocatalog = z.object({ nocatalog: z.string().optional() });

/** The public contract, grouped as the gateway's controllers implement it (`RouteHandlers<typeof ROUTES.me>`). */
export const ROUTES = {
  accounts: {
    signUp: route({
      method: 'POST',
      path: '/api/v1/accounts',
      access: 'public',
      summary: 'Sign up: a new account and its owner',
      body: signUpRequestSchema,
      response: created(memberWithAccountSchema),
    }),
  },
  auth: {
    login: route({
      method: 'POST',
      path: '/api/v1/auth/login',
      access: 'public',
      summary: 'Sign in with login and password; a member with 2FA gets an MFA token to complete',
      body: passwordLoginRequestSchema,
      response: ok(loginAnswerSchema),
    }),
    mfa: route({
      method: 'POST',
      path: '/api/v1/auth/mfa',
      access: 'public',
      summary: 'Complete a sign-in with a TOTP code, a recovery code or a passkey',
      body: mfaRequestSchema,
      response: ok(sessionIssuedSchema),
    }),
    mfaOptions: route({
      method: 'POST',
      path: '/api/v1/auth/mfa/options',
      access: 'public',
      summary: 'A new passkey challenge for a sign-in waiting for its second factor (after a refused answer)',
      body: mfaOptionsBodySchema,
      response: ok(z.object({ options: requestOptionsSchema })),
    }),
    passkeyOptions: route({
      method: 'POST',
      path: '/api/v1/auth/passkey/options',
      access: 'public',
      summary: 'Start a sign-in with a passkey alone (discoverable credentials, user verification required)',
      body: emptyRequestSchema,
      response: ok(passwordlessOptionsSchema),
    }),
    passkey: route({
      method: 'POST',
      path: '/api/v1/auth/passkey',
      access: 'public',
      summary: 'Sign in with a passkey that verified its user: both factors (aal 2)',
      body: passwordlessBodySchema,
      response: ok(sessionIssuedSchema),
    }),
    stepUpOptions: route({
      method: 'POST',
      path: '/api/v1/auth/step-up/options',
      access: 'self',
      summary: 'The challenge for a step-up with one of my passkeys',
      body: emptyRequestSchema,
      response: ok(z.object({ options: requestOptionsSchema })),
    }),
    stepUp: route({
      method: 'POST',
      path: '/api/v1/auth/step-up',
      access: 'self',
      summary:
        'Prove the second factor again on this session (the password, without 2FA), for the sensitive changes of the next minutes',
      body: stepUpBodySchema,
      response: ok(steppedUpSchema),
    }),
    logout: route({
      method: 'POST',
      path: '/api/v1/auth/logout',
      access: 'signedIn',
      summary: 'End this session',
      response: NO_CONTENT,
    }),
  },
  passwordReset: {
    request: route({
      method: 'POST',
      path: '/api/v1/auth/password-reset',
      access: 'public',
      summary:
        'Forgot my password: e-mail the member a single-use reset link (the same answer for every login)',
      body: passwordResetRequestSchema,
      response: { status: 202 as const, body: passwordResetAcceptedSchema },
    }),
    confirm: route({
      method: 'POST',
      path: '/api/v1/auth/password-reset/confirm',
      access: 'public',
      summary:
        'Set a new password with the e-mailed link (and, with 2FA, a code or a recovery code); every session ends',
      body: passwordResetConfirmBodySchema,
      response: NO_CONTENT,
    }),
  },
  links: {
    acceptInvitation: route({
      method: 'POST',
      path: '/api/v1/security/accept-invitation',
      access: 'public',
      summary: 'Accept an invitation: the invited member chooses its password (which proves its address)',
      body: acceptInvitationBodySchema,
      response: ok(invitationAcceptedSchema),
    }),
    verifyEmail: route({
      method: 'POST',
      path: '/api/v1/security/verify-email',
      access: 'public',
      summary:
        'Confirm an address from the link e-mailed to it (a new account’s, or a new one the member asked for)',
      body: verifyEmailBodySchema,
      response: ok(emailVerifiedSchema),
    }),
    notMe: route({
      method: 'POST',
      path: '/api/v1/security/not-me',
      access: 'public',
      summary:
        '“This wasn’t me”, from a security e-mail’s link: sign the member out everywhere and stop password sign-in until a reset',
      body: notMeBodySchema,
      response: ok(notMeReportedSchema),
    }),
    resync: route({
      method: 'POST',
      path: '/api/v1/security/two-factor-resync',
      access: 'public',
      summary:
        'Realign an authenticator with the link an owner or admin e-mailed, and two codes in a row from it',
      body: resyncLinkBodySchema,
      response: ok(resyncedSchema),
    }),
  },
  me: {
    describe: route({
      method: 'GET',
      path: '/api/v1/me',
      access: 'signedIn',
      summary: 'Who is signed in',
      response: ok(meViewSchema),
    }),
    changePassword: route({
      method: 'PUT',
      path: '/api/v1/me/password',
      access: 'self',
      summary: 'Change my password (ends my other sessions)',
      body: changePasswordBodySchema,
      response: NO_CONTENT,
    }),
    changeEmail: route({
      method: 'PUT',
      path: '/api/v1/me/email',
      access: 'self',
      summary:
        'Change the address (the current password, and a fresh step-up): it takes effect once the link e-mailed to the new one is opened',
      body: changeEmailBodySchema,
      response: { status: 202, body: emailChangeRequestedSchema },
    }),
    changeLanguage: route({
      method: 'PUT',
      path: '/api/v1/me/language',
      access: 'signedIn',
      summary: 'Choose the language of my security e-mails (en, de)',
      body: memberLanguageSchema.strict(),
      response: ok(memberLanguageSchema),
    }),
    listSessions: route({
      method: 'GET',
      path: '/api/v1/me/sessions',
      access: 'self',
      summary: 'Where I am signed in: my live sessions (web, API, Keystone), this one marked current',
      response: ok(sessionListSchema),
    }),
    endOtherSessions: route({
      method: 'DELETE',
      path: '/api/v1/me/sessions',
      access: 'self',
      summary: 'Sign out everywhere else: end all my sessions but this one',
      response: NO_CONTENT,
    }),
    endSession: route({
      method: 'DELETE',
      path: '/api/v1/me/sessions/:sessionId',
      params: { sessionId: z.uuid('must be a session id') },
      access: 'self',
      summary: 'End one of my sessions',
      response: NO_CONTENT,
    }),
  },
  twoFactor: {
    status: route({
      method: 'GET',
      path: '/api/v1/me/two-factor',
      access: 'signedIn',
      summary: 'My 2FA status and remaining recovery codes',
      response: ok(twoFactorStatusSchema),
    }),
    startEnrollment: route({
      method: 'POST',
      path: '/api/v1/me/two-factor/enrollment',
      access: 'signedIn',
      summary: 'Start enrolment: the secret, its otpauth URI and QR code, and 4 recovery codes, shown once',
      body: startEnrollmentBodySchema,
      response: created(enrollmentSchema),
    }),
    confirm: route({
      method: 'POST',
      path: '/api/v1/me/two-factor/enrollment/confirm',
      access: 'signedIn',
      summary: 'Turn 2FA on with a current code from the app',
      body: codeBodySchema,
      response: ok(confirmedEnrollmentSchema),
    }),
    test: route({
      method: 'POST',
      path: '/api/v1/me/two-factor/test',
      access: 'self',
      summary: 'Check a code from the app',
      body: codeBodySchema,
      response: ok(codeTestSchema),
    }),
    resync: route({
      method: 'POST',
      path: '/api/v1/me/two-factor/resync',
      access: 'self',
      summary:
        'My codes don’t work: two codes in a row from the app realign it with its clock (up to ±10 minutes)',
      body: resyncBodySchema,
      response: ok(resyncedSchema),
    }),
    checkRecoveryCode: route({
      method: 'POST',
      path: '/api/v1/me/two-factor/recovery-codes/check',
      access: 'self',
      summary:
        'Check a recovery code without using it up (a wrong one counts toward the back-off and lock like a wrong code)',
      body: codeBodySchema,
      response: ok(codeTestSchema),
    }),
    regenerate: route({
      method: 'POST',
      path: '/api/v1/me/two-factor/recovery-codes',
      access: 'selfWithSecondFactor',
      summary: 'Replace my recovery codes with 4 new ones',
      response: created(recoveryCodesSchema),
    }),
    disable: route({
      method: 'DELETE',
      path: '/api/v1/me/two-factor',
      access: 'selfWithSecondFactor',
      summary: 'Turn 2FA off (ends my other sessions)',
      response: NO_CONTENT,
    }),
  },
  passkeys: {
    registrationOptions: route({
      method: 'POST',
      path: '/api/v1/me/passkeys/registration-options',
      access: 'addFactor',
      summary: 'The options to create a passkey with (my own are excluded)',
      body: emptyRequestSchema,
      response: ok(z.object({ options: creationOptionsSchema })),
    }),
    register: route({
      method: 'POST',
      path: '/api/v1/me/passkeys',
      access: 'addFactor',
      summary: 'Add a passkey; my first second factor turns 2FA on and answers 4 recovery codes, shown once',
      body: newPasskeyBodySchema,
      response: created(passkeyAddedSchema),
    }),
    list: route({
      method: 'GET',
      path: '/api/v1/me/passkeys',
      access: 'self',
      summary: 'My passkeys, with their last use',
      response: ok(z.object({ passkeys: z.array(passkeySchema) })),
    }),
    rename: route({
      method: 'PATCH',
      path: '/api/v1/me/passkeys/:id',
      access: 'self',
      summary: 'Rename one of my passkeys',
      params: { id: credentialId },
      body: z.object({ name: passkeyNameSchema }).strict(),
      response: ok(z.object({ passkey: passkeySchema })),
    }),
    remove: route({
      method: 'DELETE',
      path: '/api/v1/me/passkeys/:id',
      access: 'selfWithStepUp',
      summary:
        'Remove one of my passkeys (ends my other sessions); the last second factor stays while the account requires 2FA',
      params: { id: credentialId },
      response: NO_CONTENT,
    }),
  },
  myCredentials: {
    list: route({
      method: 'GET',
      path: '/api/v1/me/application-credentials',
      access: 'self',
      summary: 'My application credentials (automation signs in with them, without a code)',
      response: ok(applicationCredentialListSchema),
    }),
    create: route({
      method: 'POST',
      path: '/api/v1/me/application-credentials',
      access: 'self',
      summary:
        'Make an application credential; its secret is shown once (with 2FA on: from a session completed with the second factor)',
      body: newApplicationCredentialSchema,
      response: created(createdApplicationCredentialSchema),
    }),
    confirm: route({
      method: 'POST',
      path: '/api/v1/me/application-credentials/:id/confirm',
      params: { id: credentialId },
      access: 'selfWithSecondFactor',
      summary:
        'Confirm, with a fresh second factor, a credential made with the password alone before 2FA was turned on (it signs in again)',
      response: ok(z.object({ credential: applicationCredentialSchema })),
    }),
    delete: route({
      method: 'DELETE',
      path: '/api/v1/me/application-credentials/:id',
      params: { id: credentialId },
      access: 'self',
      summary: 'Delete one of my application credentials (its tokens end)',
      response: NO_CONTENT,
    }),
  },
  memberCredentials: {
    list: route({
      method: 'GET',
      path: '/api/v1/account/members/:id/application-credentials',
      params: { id: credentialId },
      access: 'manageMember',
      summary: 'A member’s application credentials',
      response: ok(applicationCredentialListSchema),
    }),
    delete: route({
      method: 'DELETE',
      path: '/api/v1/account/members/:id/application-credentials/:credentialId',
      params: { id: credentialId, credentialId },
      access: 'manageMember',
      summary: 'Delete a member’s application credential (its tokens end)',
      response: NO_CONTENT,
    }),
  },
  members: {
    list: route({
      method: 'GET',
      path: '/api/v1/account/members',
      access: 'manageMembers',
      summary: 'The account’s members',
      response: ok(memberListSchema),
    }),
    add: route({
      method: 'POST',
      path: '/api/v1/account/members',
      access: 'manageMembers',
      summary:
        'Add a member: an ops-only one with the password the caller generated, any other invited by an e-mailed link to choose its own',
      body: newMemberSchema,
      response: created(teamMemberSchema),
    }),
    resendInvitation: route({
      method: 'POST',
      path: '/api/v1/account/members/:id/invitation',
      params: memberId,
      access: 'changeMember',
      summary: 'E-mail an invited member a new invitation (the previous link stops working)',
      response: ok(teamMemberSchema),
    }),
    withdrawInvitation: route({
      method: 'DELETE',
      path: '/api/v1/account/members/:id/invitation',
      params: memberId,
      access: 'changeMember',
      summary: 'Withdraw an invitation not yet accepted (the invited member goes)',
      response: NO_CONTENT,
    }),
    sendPasswordResetLink: route({
      method: 'POST',
      path: '/api/v1/account/members/:id/password-reset-link',
      params: memberId,
      access: 'changeMember',
      summary: 'E-mail a member a link to choose a new password (to its confirmed address)',
      response: { status: 202 },
    }),
    updateRoles: route({
      method: 'PATCH',
      path: '/api/v1/account/members/:id',
      params: memberId,
      access: 'changeMember',
      summary: 'Change a member’s roles (ends their sessions)',
      body: updateRolesBodySchema,
      response: ok(memberViewSchema),
    }),
    remove: route({
      method: 'DELETE',
      path: '/api/v1/account/members/:id',
      params: memberId,
      access: 'changeMember',
      summary: 'Remove a member (ends their sessions)',
      response: NO_CONTENT,
    }),
    setPassword: route({
      method: 'PUT',
      path: '/api/v1/account/members/:id/password',
      params: memberId,
      access: 'changeMember',
      summary:
        'Set an ops-only member’s password, generated by the caller (ends its sessions, tokens and credentials); others get a reset link',
      body: setPasswordBodySchema,
      response: NO_CONTENT,
    }),
    resetTwoFactor: route({
      method: 'DELETE',
      path: '/api/v1/account/members/:id/two-factor',
      params: memberId,
      access: 'changeMember',
      summary: 'Reset a member’s 2FA, for one who lost device and recovery codes',
      response: NO_CONTENT,
    }),
    sendResyncLink: route({
      method: 'POST',
      path: '/api/v1/account/members/:id/two-factor/resync-link',
      params: memberId,
      access: 'changeMember',
      summary: 'E-mail a member a single-use link to realign its authenticator (a phone whose clock is off)',
      response: { status: 202 as const, body: z.object({ sent: z.literal(true) }) },
    }),
    listSessions: route({
      method: 'GET',
      path: '/api/v1/account/members/:id/sessions',
      params: memberId,
      access: 'manageMember',
      summary: 'Where a member is signed in',
      response: ok(sessionListSchema),
    }),
    endSessions: route({
      method: 'DELETE',
      path: '/api/v1/account/members/:id/sessions',
      params: memberId,
      access: 'changeMember',
      summary: 'Sign a member out everywhere (a lost laptop, a departure)',
      response: NO_CONTENT,
    }),
  },
  audit: {
    list: route({
      method: 'GET',
      path: '/api/v1/account/audit-events',
      access: 'readAudit',
      summary: 'The account’s security events, newest first',
      query: auditQuerySchema,
      response: ok(auditPageSchema),
    }),
  },
  compliance: {
    list: route({
      method: 'GET',
      path: '/api/v1/account/two-factor-compliance',
      access: 'managePolicy',
      summary: 'Who has 2FA, who must turn it on by when (the policy’s deadlines), who is exempt',
      response: ok(complianceViewSchema),
    }),
  },
  policy: {
    get: route({
      method: 'GET',
      path: '/api/v1/account/policy',
      access: 'managePolicy',
      summary: 'The account policy',
      response: ok(accountPolicySchema),
    }),
    update: route({
      method: 'PUT',
      path: '/api/v1/account/policy',
      access: 'changePolicy',
      summary: 'Change the account policy (settings left out keep their value)',
      body: accountPolicyUpdateSchema,
      response: ok(accountPolicySchema),
    }),
  },
  ownership: {
    transfer: route({
      method: 'POST',
      path: '/api/v1/account/ownership',
      access: 'transferOwnership',
      summary: 'Hand ownership to another member; the owner becomes an admin',
      body: transferOwnershipBodySchema,
      response: NO_CONTENT,
    }),
  },
  apiDocs: {
    get: route({
      method: 'GET',
      path: '/api/docs',
      access: 'public',
      summary: 'This OpenAPI document',
      response: ok(z.record(z.string(), z.unknown())),
    }),
  },
  keystone: {
    versions: route({
      method: 'GET',
      path: '/identity',
      access: 'keystone',
      summary: 'Identity API versions',
      response: { status: 300, body: keystoneDocument },
    }),
    v3: route({
      method: 'GET',
      path: '/identity/v3',
      access: 'keystone',
      summary: 'Identity v3 version',
      response: KEYSTONE,
    }),
    v2: route({
      method: 'GET',
      path: '/identity/v2.0',
      access: 'keystone',
      summary: 'Identity v2.0 version (deprecated)',
      response: KEYSTONE,
    }),
    issue: route({
      method: 'POST',
      path: '/identity/v3/auth/tokens',
      body: v3AuthRequestSchema,
      query: nocatalog,
      access: 'keystone',
      summary: 'Issue a token (password, totp, auth receipts)',
      response: created(keystoneDocument),
    }),
    validate: route({
      method: 'GET',
      path: '/identity/v3/auth/tokens',
      query: nocatalog,
      access: 'keystone',
      summary: 'Validate a token',
      response: KEYSTONE,
    }),
    revoke: route({
      method: 'DELETE',
      path: '/identity/v3/auth/tokens',
      access: 'keystone',
      summary: 'Revoke a token',
      response: NO_CONTENT,
    }),
    catalogOfToken: route({
      method: 'GET',
      path: '/identity/v3/auth/catalog',
      access: 'keystoneToken',
      keystone: { scoped: true },
      summary: 'The service catalog of the caller’s token',
      response: KEYSTONE,
    }),
    domains: route({
      method: 'GET',
      path: '/identity/v3/auth/domains',
      access: 'keystoneToken',
      summary: 'Domains the token may scope to (none)',
      response: KEYSTONE,
    }),
    user: route({
      method: 'GET',
      path: '/identity/v3/users/:userId',
      params: keystoneUser,
      access: 'keystoneToken',
      keystone: { rule: 'identity:get_user', self: 'userId' },
      summary: 'The caller’s own user',
      response: KEYSTONE,
    }),
    userProjects: route({
      method: 'GET',
      path: '/identity/v3/users/:userId/projects',
      params: keystoneUser,
      access: 'keystoneToken',
      keystone: { rule: 'identity:list_user_projects', self: 'userId' },
      summary: 'The caller’s projects (its account)',
      response: KEYSTONE,
    }),
    changePassword: route({
      method: 'POST',
      path: '/identity/v3/users/:userId/password',
      params: keystoneUser,
      body: v3PasswordChangeSchema,
      access: 'keystoneToken',
      keystone: { rule: 'identity:update_password', self: 'userId', credentialTokens: 'refused' },
      summary: 'Change the caller’s password (original and new); ends its tokens',
      response: NO_CONTENT,
    }),
    listCredentials: route({
      method: 'GET',
      path: '/identity/v3/users/:userId/application_credentials',
      params: keystoneUser,
      query: z.object({ name: z.string().optional() }),
      access: 'keystoneToken',
      keystone: { rule: 'identity:list_application_credentials', self: 'userId' },
      summary: 'The caller’s application credentials',
      response: KEYSTONE,
    }),
    createCredential: route({
      method: 'POST',
      path: '/identity/v3/users/:userId/application_credentials',
      params: keystoneUser,
      body: v3NewApplicationCredentialSchema,
      access: 'keystoneToken',
      keystone: {
        rule: 'identity:create_application_credential',
        self: 'userId',
        credentialTokens: 'refused',
      },
      summary: 'Make an application credential (the secret shown once)',
      response: created(keystoneDocument),
    }),
    getCredential: route({
      method: 'GET',
      path: '/identity/v3/users/:userId/application_credentials/:credentialId',
      params: keystoneCredential,
      access: 'keystoneToken',
      keystone: { rule: 'identity:get_application_credential', self: 'userId' },
      summary: 'One of the caller’s application credentials',
      response: KEYSTONE,
    }),
    deleteCredential: route({
      method: 'DELETE',
      path: '/identity/v3/users/:userId/application_credentials/:credentialId',
      params: keystoneCredential,
      access: 'keystoneToken',
      keystone: {
        rule: 'identity:delete_application_credential',
        self: 'userId',
        credentialTokens: 'refused',
      },
      summary: 'Delete an application credential (its tokens end)',
      response: NO_CONTENT,
    }),
    project: route({
      method: 'GET',
      path: '/identity/v3/projects/:projectId',
      params: { projectId: z.string() },
      access: 'keystoneToken',
      keystone: { rule: 'identity:get_project', self: 'projectId' },
      summary: 'The caller’s own project',
      response: KEYSTONE,
    }),
    projects: route({
      method: 'GET',
      path: '/identity/v3/auth/projects',
      access: 'keystoneToken',
      summary: 'Projects the token may scope to',
      response: KEYSTONE,
    }),
    issueV2: route({
      method: 'POST',
      path: '/identity/v2.0/tokens',
      body: v2AuthRequestSchema,
      access: 'keystone',
      summary: 'Issue a token, v2.0 (members without 2FA only)',
      response: KEYSTONE,
    }),
  },
} as const satisfies Record<string, Record<string, HttpRoute>>;

/** Every route, for the OpenAPI document and the authorization matrix. */
export const HTTP_ROUTES: readonly HttpRoute[] = Object.values<Record<string, HttpRoute>>(ROUTES).flatMap(
  (group) => Object.values(group),
);

/** What a route takes and answers, as its schemas say; the gateway's handlers and libs/client share these. */
export type RouteBody<R extends HttpRoute> = R['body'] extends z.ZodType ? z.output<R['body']> : undefined;
export type RouteQuery<R extends HttpRoute> = R['query'] extends z.ZodType ? z.output<R['query']> : undefined;
export type RouteParams<R extends HttpRoute> =
  R['params'] extends Record<string, z.ZodType>
    ? { [K in keyof R['params']]: z.output<R['params'][K]> }
    : undefined;
export type RouteResult<R extends HttpRoute> = R['response'] extends { body: infer B extends z.ZodType }
  ? z.output<B>
  : void;

type AnyRoute = {
  [G in keyof typeof ROUTES]: (typeof ROUTES)[G][keyof (typeof ROUTES)[G]];
}[keyof typeof ROUTES];

/** A route named as the wire does, `POST /api/v1/auth/login`: a string a client can send as it is. */
export type RouteKey = AnyRoute extends infer R
  ? R extends HttpRoute
    ? `${R['method']} ${R['path']}`
    : never
  : never;

export type RouteAt<K extends RouteKey> = AnyRoute extends infer R
  ? R extends HttpRoute
    ? `${R['method']} ${R['path']}` extends K
      ? R
      : never
    : never
  : never;

/** What a client sends: the body as its schema takes it, each path parameter, the query. */
export type RouteRequest<R extends HttpRoute> = (R['body'] extends z.ZodType
  ? { body: z.input<R['body']> }
  : { body?: undefined }) &
  (R['params'] extends Record<string, z.ZodType>
    ? { params: { [K in keyof R['params']]: string } }
    : unknown) &
  (R['query'] extends z.ZodType ? { query?: z.input<R['query']> } : unknown);
