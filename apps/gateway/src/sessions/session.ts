import { type MemberWithAccount, type Role, type SessionVia } from '@twofold/contracts';

/** An authenticated session as the gateway keeps it (in Redis, under the hash of its token). */
export interface Session {
  id: string;
  memberId: string;
  accountId: string;
  /** The roles the session grants: the member's when it began (a role change replaces the stamp, ending it), or an application credential's. */
  roles: Role[];
  /**
   * The member and its account as they were at sign-in, for answers such as Keystone's token
   * validation without asking account-service: what could change in them (roles, removal)
   * replaces the stamp, and logins, e-mails and account names do not change.
   */
  member: MemberWithAccount;
  /** Authenticator assurance level: 1 after a password, 2 after a second factor. */
  aal: 1 | 2;
  /** How the session was proven, in Keystone's words. */
  methods: AuthMethod[];
  /** Keystone's audit id of the token (not secret). */
  auditId: string;
  /** The member's security stamp at sign-in: the session lives only while it is still the member's. */
  stamp: string;
  /** The account requires 2FA and the member has none yet: the session may only enrol. */
  restricted?: true;
  /**
   * The member's 2FA deadline when the session began within its grace period. Sessions follow
   * the deadline the policy gives now (memberDeadlineKey); this one only where none is published.
   */
  enrolBy?: string;
  /**
   * The member had 2FA on when the session began (or turned it on in it): the 2FA policy has
   * nothing to restrict. Absent on older sessions: their aal says.
   */
  twoFactor?: boolean;
  /** Issued to an application credential: its roles only, and it ends with the credential. */
  applicationCredential?: { id: string; name: string };
  /** A Keystone token asked for explicitly unscoped (no project, no roles). */
  unscoped?: true;
  /**
   * When this session last proved its member's factor, and which: at sign-in, or at its latest
   * step-up (absent on sessions issued before step-up existed: their creation, by their aal).
   */
  verifiedAt?: string;
  verifiedWith?: 'password' | 'second_factor';
  /** Where it began, for the sessions list (absent on sessions issued before that list existed). */
  ip?: string | null;
  device?: string;
  via?: SessionVia;
  createdAt: string;
  expiresAt: string;
}

export type AuthMethod = 'password' | 'totp' | 'application_credential';

export interface IssuedSession {
  token: string;
  session: Session;
  /** Issued to a device the member had not signed in from before (never on its first one). */
  newDevice?: true;
}
