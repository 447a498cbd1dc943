import { DomainError, type Role } from '@twofold/contracts';
import { type Session } from '../sessions/session';

/**
 * How a session was completed: with the password alone, with the second factor too, or — the
 * account requiring 2FA and the member having none — a restricted session that may only enrol.
 */
export type SessionKind = 'restricted' | 'password' | 'second_factor';

export interface Policy {
  /** Who may: any member, or a member holding one of these roles. */
  roles: readonly Role[] | 'any';
  /** From which kinds of session. */
  sessions: readonly SessionKind[];
}

const FULL_SESSION: readonly SessionKind[] = ['password', 'second_factor'];
const ANY_SESSION: readonly SessionKind[] = ['restricted', 'password', 'second_factor'];

/**
 * The authorization matrix, in one place: every protected route names one of these policies
 * (@Authorize), and the tests enumerate each policy × role × session kind.
 */
export const POLICIES = {
  /** Who am I, my 2FA status, enrolling, signing out: open to restricted sessions too. */
  signedIn: { roles: 'any', sessions: ANY_SESSION },
  /** The member's own settings. */
  self: { roles: 'any', sessions: FULL_SESSION },
  /** Weakening or re-issuing the second factor: only from a session that used it. */
  selfWithSecondFactor: { roles: 'any', sessions: ['second_factor'] },
  /** Adding, changing and removing members, their passwords and their 2FA. */
  manageMembers: { roles: ['owner', 'admin'], sessions: FULL_SESSION },
  /** The account's audit log. */
  readAudit: { roles: ['owner', 'admin'], sessions: FULL_SESSION },
  /** Handing ownership on to another member. */
  transferOwnership: { roles: ['owner'], sessions: FULL_SESSION },
  /** The account policy (requireTwoFactor). */
  managePolicy: { roles: ['owner', 'admin'], sessions: FULL_SESSION },
} as const satisfies Record<string, Policy>;

export type PolicyName = keyof typeof POLICIES;

export const sessionKindOf = (session: Pick<Session, 'aal' | 'restricted'>): SessionKind =>
  session.restricted ? 'restricted' : session.aal === 2 ? 'second_factor' : 'password';

/** Allows, or throws the error that says why not (the role first, then the kind of session). */
export function authorize(policy: Policy, session: Pick<Session, 'aal' | 'roles' | 'restricted'>): void {
  if (
    policy.roles !== 'any' &&
    !session.roles.some((role) => (policy.roles as readonly Role[]).includes(role))
  ) {
    throw new DomainError(
      'forbidden',
      'Your role does not allow this. Ask an owner or an admin of your account.',
    );
  }
  const kind = sessionKindOf(session);
  if (kind === 'restricted' && !policy.sessions.includes(kind)) {
    throw new DomainError(
      'two_factor_required',
      'Your account requires two-factor authentication. Turn it on first (Account Settings → Enable 2FA/OTP); everything else opens once it is confirmed.',
    );
  }
  if (!policy.sessions.includes(kind)) {
    throw new DomainError(
      'second_factor_session_required',
      'This needs a session signed in with your second factor. Sign out, then sign in again with a code from your authenticator app or a recovery code.',
    );
  }
}
