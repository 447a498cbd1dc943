import { Inject, Injectable } from '@nestjs/common';
import {
  AccountRpc,
  DomainError,
  OtpRpc,
  PasskeyRpc,
  type RequestOptions,
  type StepUpBody,
  type SteppedUp,
  usableFactors,
} from '@twofold/contracts';
import { Clock, type RequestMeta, RpcClient } from '@twofold/platform';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';
import { type Session } from './session';
import { SessionStore } from './session.store';

export function lastProof(session: Session): { at: Date; with: 'password' | 'second_factor' } {
  return {
    at: new Date(session.verifiedAt ?? session.createdAt),
    with: session.verifiedWith ?? (session.aal === 2 ? 'second_factor' : 'password'),
  };
}

export function isFresh(
  session: Session,
  now: Date,
  maxAgeSeconds: number,
  memberHasTwoFactor: boolean,
): boolean {
  const proof = lastProof(session);
  const age = now.getTime() - proof.at.getTime();
  if (age < 0 || age > maxAgeSeconds * 1000) return false;
  return proof.with === 'second_factor' || !memberHasTwoFactor;
}

/** GitHub's sudo mode: a stolen browser session alone cannot make sensitive changes. */
@Injectable()
export class StepUp {
  constructor(
    private readonly rpc: RpcClient,
    private readonly sessions: SessionStore,
    private readonly clock: Clock,
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'STEP_UP_MAX_AGE_SECONDS'>,
  ) {}

  async require(session: Session, meta: RequestMeta): Promise<void> {
    const now = this.clock.now();
    const maxAge = this.config.STEP_UP_MAX_AGE_SECONDS;
    // A session that proved the second factor lately is fresh whatever its member has now.
    if (isFresh(session, now, maxAge, true)) return;
    const { enabled: twoFactor, factors } = await this.rpc.call(
      OtpRpc.status,
      { memberId: session.memberId },
      { meta },
    );
    if (isFresh(session, now, maxAge, twoFactor)) return;
    throw new DomainError(
      'step_up_required',
      twoFactor
        ? `This change needs your second factor again: your passkey, a code from your authenticator app, or a recovery code. It then counts for ${minutes(maxAge)}.`
        : `This change needs your password again. It then counts for ${minutes(maxAge)}.`,
      {
        stepUp: {
          maxAgeSeconds: maxAge,
          with: twoFactor ? 'code' : 'password',
          ...(factors.includes('webauthn') ? { passkey: true } : {}),
        },
      },
    );
  }

  async options(session: Session, meta: RequestMeta): Promise<{ options: RequestOptions }> {
    const { factors } = await this.rpc.call(OtpRpc.status, { memberId: session.memberId }, { meta });
    if (!factors.includes('webauthn')) throw noPasskey();
    return this.rpc.call(
      PasskeyRpc.authenticationOptions,
      { flow: 'step_up', memberId: session.memberId },
      { meta },
    );
  }

  async stepUp(token: string, session: Session, body: StepUpBody, meta: RequestMeta): Promise<SteppedUp> {
    const { enabled: twoFactor, factors } = await this.rpc.call(
      OtpRpc.status,
      { memberId: session.memberId },
      { meta },
    );
    if ('password' in body) {
      if (twoFactor) {
        throw new DomainError(
          'validation_failed',
          'With 2FA on, step up with your second factor (a passkey, a code from your authenticator app or a recovery code), not the password.',
        );
      }
      await this.rpc.call(
        AccountRpc.verifyMemberPassword,
        { memberId: session.memberId, password: body.password },
        { meta },
      );
    } else if ('webauthn' in body) {
      if (!factors.includes('webauthn')) throw noPasskey();
      await this.rpc.call(
        PasskeyRpc.authenticate,
        { flow: 'step_up', memberId: session.memberId, response: body.webauthn },
        { meta },
      );
    } else {
      if (!twoFactor) {
        throw new DomainError(
          'two_factor_not_enabled',
          'You have no second factor: step up with your password.',
        );
      }
      const policy = await this.rpc.call(AccountRpc.policyOfMember, { memberId: session.memberId }, { meta });
      const totpAllowed = usableFactors(policy, session.member.user.roles, factors).includes('totp');
      await this.rpc.call(
        OtpRpc.verify,
        { memberId: session.memberId, code: body.code, ...(totpAllowed ? {} : { totpAllowed }) },
        { meta },
      );
    }
    const now = this.clock.now();
    await this.sessions.refresh(token, session, {
      verifiedAt: now.toISOString(),
      verifiedWith: 'password' in body ? 'password' : 'second_factor',
    });
    return {
      freshUntil: new Date(now.getTime() + this.config.STEP_UP_MAX_AGE_SECONDS * 1000).toISOString(),
    };
  }
}

const noPasskey = (): DomainError =>
  new DomainError('two_factor_not_enabled', 'You have no passkey: step up with a code or your password.');

const minutes = (seconds: number): string =>
  seconds % 60 === 0 ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}` : `${seconds} seconds`;
