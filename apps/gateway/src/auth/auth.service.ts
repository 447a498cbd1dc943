import { Injectable } from '@nestjs/common';
import {
  DomainError,
  type MfaRequired,
  type PasswordLoginRequest,
  type SessionIssued,
  type SessionVia,
  PasskeyRpc,
  type RouteBody,
  type RouteResult,
  ROUTES,
} from '@twofold/contracts';
import { type RequestMeta, RpcClient } from '@twofold/platform';
import { IpRateLimiter } from '../rate-limit/ip-rate-limiter';
import { SessionStore } from '../sessions/session.store';
import { type Proofs, SignInFlow, type Submitted } from '../sign-in/sign-in-flow';
import { PendingSignInStore } from '../sign-in/pending-sign-in.store';
import { SignInAttempt } from '../sign-in/sign-in-method';

type Client = { via: SessionVia; webDevice: string | undefined };

@Injectable()
export class AuthService {
  constructor(
    private readonly signIn: SignInFlow,
    private readonly sessions: SessionStore,
    private readonly limiter: IpRateLimiter,
    private readonly rpc: RpcClient,
    private readonly pending: PendingSignInStore,
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
    const passkeys = outcome.factors.includes('webauthn');
    return {
      status: 'mfa_required',
      mfaToken: outcome.token,
      methods: [
        ...(passkeys ? (['webauthn'] as const) : []),
        ...(outcome.factors.includes('totp') ? (['totp'] as const) : []),
        'recovery_code',
      ],
      ...(passkeys
        ? {
            webauthn: await this.rpc.call(
              PasskeyRpc.authenticationOptions,
              { flow: 'second_factor', memberId: outcome.member.user.id },
              { meta },
            ),
          }
        : {}),
      expiresAt: outcome.pending.expiresAt,
    };
  }

  async mfaOptions(mfaToken: string, meta: RequestMeta): Promise<RouteResult<typeof ROUTES.auth.mfaOptions>> {
    const pending = await this.pending.peek(mfaToken);
    if (!pending) throw mfaTokenInvalid();
    if (!pending.usable?.includes('webauthn')) {
      throw new DomainError(
        'second_factor_not_allowed',
        'This sign-in does not take a passkey: use your code.',
      );
    }
    return this.rpc.call(
      PasskeyRpc.authenticationOptions,
      { flow: 'second_factor', memberId: pending.member.user.id },
      { meta },
    );
  }

  /** Passwordless: a challenge for any discoverable passkey; `challengeId` names it. */
  async passkeyOptions(meta: RequestMeta): Promise<RouteResult<typeof ROUTES.auth.passkeyOptions>> {
    const { options } = await this.rpc.call(
      PasskeyRpc.authenticationOptions,
      { flow: 'passwordless', memberId: null },
      { meta },
    );
    return { challengeId: options.challenge, options };
  }

  async signInWithPasskey(
    request: RouteBody<typeof ROUTES.auth.passkey>,
    meta: RequestMeta,
    client: Client,
  ): Promise<SessionIssued> {
    return issued(
      await this.signIn.submit(
        new SignInAttempt(meta),
        { passkey: request },
        { restricted: 'allow', ...client },
      ),
    );
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
    if (!attempt) throw mfaTokenInvalid();
    const proofs: Proofs =
      'code' in request ? { totp: { code: request.code } } : { webauthn: request.webauthn };
    return issued(await this.signIn.submit(attempt, proofs, { restricted: 'allow', ...client }));
  }

  logout(token: string): Promise<void> {
    return this.sessions.revoke(token);
  }
}

const mfaTokenInvalid = (): DomainError =>
  new DomainError(
    'mfa_token_invalid',
    'This sign-in has expired or was already completed. Sign in again with your password.',
  );

function issued(outcome: Submitted): SessionIssued {
  // A sign-in with both factors is complete by definition; anything else is a broken rule.
  if (outcome.kind !== 'session') throw new Error('A completed sign-in still asked for a second factor');
  return {
    status: 'authenticated',
    token: outcome.token,
    expiresAt: outcome.session.expiresAt,
    aal: outcome.session.aal,
    amr: outcome.session.amr ?? [],
  };
}
