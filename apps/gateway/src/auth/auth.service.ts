import { Injectable } from '@nestjs/common';
import {
  DomainError,
  type MfaRequired,
  type PasswordLoginRequest,
  type SessionIssued,
  type SessionVia,
} from '@twofold/contracts';
import { type RequestMeta } from '@twofold/platform';
import { IpRateLimiter } from '../rate-limit/ip-rate-limiter';
import { SessionStore } from '../sessions/session.store';
import { PasswordMethod } from '../sign-in/methods/password.method';
import { TotpMethod } from '../sign-in/methods/totp.method';
import { type Concluded, SignInService } from '../sign-in/sign-in.service';

type Client = { via: SessionVia; webDevice: string | undefined };

@Injectable()
export class AuthService {
  constructor(
    private readonly signIn: SignInService,
    private readonly password: PasswordMethod,
    private readonly totp: TotpMethod,
    private readonly sessions: SessionStore,
    private readonly limiter: IpRateLimiter,
  ) {}

  async login(
    request: PasswordLoginRequest,
    meta: RequestMeta,
    client: Client,
  ): Promise<SessionIssued | MfaRequired> {
    const attempt = this.signIn.start(meta);
    await this.signIn.prove(attempt, this.password, request);
    const outcome = await this.signIn.conclude(attempt, { restricted: 'allow', ...client });
    if (outcome.kind === 'session') return issued(outcome);
    const { token, pending } = await this.signIn.suspend(attempt);
    return {
      status: 'mfa_required',
      mfaToken: token,
      methods: ['totp', 'recovery_code'],
      expiresAt: pending.expiresAt,
    };
  }

  async completeMfa(
    request: { mfaToken: string; code: string },
    meta: RequestMeta,
    client: Client,
  ): Promise<SessionIssued> {
    // The address's counter and the pending sign-in in one Redis write; over the limit, it is put back untouched.
    const [limit, resumed] = await Promise.allSettled([
      this.limiter.hit('mfa', meta.ip ?? ''),
      this.signIn.resume(request.mfaToken, meta),
    ]);
    if (limit.status === 'rejected') {
      if (resumed.status === 'fulfilled' && resumed.value) await this.signIn.abandon(resumed.value);
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
    try {
      await this.signIn.prove(attempt, this.totp, { code: request.code });
      return issued(await this.signIn.conclude(attempt, { restricted: 'allow', ...client }));
    } catch (error) {
      await this.signIn.abandon(attempt);
      throw error;
    }
  }

  logout(token: string): Promise<void> {
    return this.sessions.revoke(token);
  }
}

function issued(outcome: Concluded): SessionIssued {
  // A sign-in with both factors is complete by definition; anything else is a broken rule.
  if (outcome.kind !== 'session') throw new Error('A completed sign-in still asked for a second factor');
  return {
    status: 'authenticated',
    token: outcome.token,
    expiresAt: outcome.session.expiresAt,
    aal: outcome.session.aal,
  };
}
