import { Injectable } from '@nestjs/common';
import {
  DomainError,
  type MfaRequired,
  type PasswordLoginRequest,
  type SessionIssued,
  type SessionVia,
  type RouteBody,
  ROUTES,
} from '@twofold/contracts';
import { type RequestMeta } from '@twofold/platform';
import { IpRateLimiter } from '../rate-limit/ip-rate-limiter';
import { SessionStore } from '../sessions/session.store';
import { SignInFlow, type Submitted } from '../sign-in/sign-in-flow';
import { SignInAttempt } from '../sign-in/sign-in-method';

type Client = { via: SessionVia; webDevice: string | undefined };

@Injectable()
export class AuthService {
  constructor(
    private readonly signIn: SignInFlow,
    private readonly sessions: SessionStore,
    private readonly limiter: IpRateLimiter,
  ) {}

  async login(
    request: PasswordLoginRequest,
    meta: RequestMeta,
    client: Client,
  ): Promise<SessionIssued | MfaRequired> {
    const outcome = await this.signIn.submit(
      new SignInAttempt(meta),
      { password: request },
      { restricted: 'allow', ...client },
    );
    if (outcome.kind !== 'pending') return issued(outcome);
    return {
      status: 'mfa_required',
      mfaToken: outcome.token,
      methods: ['totp', 'recovery_code'],
      expiresAt: outcome.pending.expiresAt,
    };
  }

  async completeMfa(
    request: RouteBody<typeof ROUTES.auth.mfa>,
    meta: RequestMeta,
    client: Client,
  ): Promise<SessionIssued> {
    // The address's counter and the pending sign-in in one Redis write; over the limit, it is put back untouched.
    const [limit, resumed] = await Promise.allSettled([
      this.limiter.hit('mfa', meta.ip ?? ''),
      this.signIn.resume(request.mfaToken, meta),
    ]);
    if (limit.status === 'rejected') {
      if (resumed.status === 'fulfilled' && resumed.value) await this.signIn.putBack(resumed.value);
      throw limit.reason;
    }
    if (resumed.status === 'rejected') throw resumed.reason;
    const attempt = resumed.value;
    if (!attempt) {
      throw new DomainError(
        'mfa_token_invalid',
        'This sign-in has expired or was already completed. Sign in again with your password.',
      );
    }
    return issued(
      await this.signIn.submit(attempt, { totp: { code: request.code } }, { restricted: 'allow', ...client }),
    );
  }

  logout(token: string): Promise<void> {
    return this.sessions.revoke(token);
  }
}

function issued(outcome: Submitted): SessionIssued {
  // A sign-in with both factors is complete by definition; anything else is a broken rule.
  if (outcome.kind !== 'session') throw new Error('A completed sign-in still asked for a second factor');
  return {
    status: 'authenticated',
    token: outcome.token,
    expiresAt: outcome.session.expiresAt,
    aal: outcome.session.aal,
  };
}
