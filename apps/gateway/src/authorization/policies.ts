import {
  type AccessPolicy,
  DomainError,
  type Role,
  SERVICE_ROLE,
  type SessionKind,
} from '@twofold/contracts';
import { type Session } from '../sessions/session';

// The matrix itself (ACCESS_POLICIES, and HTTP_ROUTES naming one per route) is part of the public
// contract in @twofold/contracts; this is where the gateway enforces it.

export const sessionKindOf = (session: Pick<Session, 'aal' | 'restricted'>): SessionKind =>
  session.restricted ? 'restricted' : session.aal === 2 ? 'second_factor' : 'password';

/** Allows, or throws the error that says why not (the role first, then the kind of session). */
export function authorize(
  policy: AccessPolicy,
  session: Pick<Session, 'aal' | 'roles' | 'restricted' | 'applicationCredential'>,
): void {
  // A platform service user validates tokens through the Identity API and does nothing else.
  if (session.applicationCredential) {
    throw new DomainError(
      'forbidden',
      'A token of an application credential is for the platform’s services (the Identity API), not for account settings.',
    );
  }
  if (session.roles.includes(SERVICE_ROLE)) {
    throw new DomainError(
      'forbidden',
      'A service user may only validate tokens, through the Identity API (/identity/v3/auth/tokens).',
    );
  }
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
