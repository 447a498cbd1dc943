import { Injectable } from '@nestjs/common';
import { AccountRpc, DomainError, type MemberWithAccount, OtpRpc, type SessionVia } from '@twofold/contracts';
import { Clock, type RequestMeta, RpcClient } from '@twofold/platform';
import { PinoLogger } from 'nestjs-pino';
import { deviceKeyOf } from '../sessions/device';
import { type IssuedSession } from '../sessions/session';
import { SessionStore } from '../sessions/session.store';
import { PendingSignInStore, type PendingSignIn } from './pending-sign-in.store';
import { type Factor, SignInAttempt, type SignInMethod } from './sign-in-method';

export type Concluded =
  | ({ kind: 'session'; member: MemberWithAccount } & IssuedSession)
  | { kind: 'second_factor_required'; member: MemberWithAccount };

/** Keystone's order of methods in a token: the password, then the second factor. */
const FACTOR_ORDER: readonly Factor[] = ['password', 'totp', 'application_credential'];

/** Refused before any method could tell why: the same answer for every login. */
const notProven = (): DomainError =>
  new DomainError('invalid_credentials', 'The login or password is incorrect.');

const stale = (): DomainError =>
  new DomainError(
    'mfa_token_invalid',
    'This sign-in is no longer valid (the member’s password, 2FA or roles changed, or it was removed). Sign in again with your password.',
  );

/** Later methods need the password first, and no factor counts twice: two second factors never make a sign-in. */
@Injectable()
export class SignInService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly sessions: SessionStore,
    private readonly pending: PendingSignInStore,
    private readonly clock: Clock,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(SignInService.name);
  }

  start(meta: RequestMeta): SignInAttempt {
    return new SignInAttempt(meta);
  }

  async resume(token: string, meta: RequestMeta): Promise<SignInAttempt | undefined> {
    const pending = await this.pending.take(token);
    return pending ? new SignInAttempt(meta, { token, pending }) : undefined;
  }

  async prove<I>(attempt: SignInAttempt, method: SignInMethod<I>, input: I): Promise<void> {
    const combined =
      attempt.proven.size > 0 && (method.alone === true || attempt.proven.has('application_credential'));
    if (combined || attempt.proven.has(method.factor) || !method.after.every((f) => attempt.proven.has(f))) {
      throw notProven();
    }
    const proof = await method.prove(attempt, input);
    if (proof) {
      if (attempt.who && attempt.who.member.user.id !== proof.member.user.id) throw notProven();
      attempt.who = proof;
    }
    attempt.proven.add(method.factor);
  }

  async conclude(
    attempt: SignInAttempt,
    edge: {
      restricted: 'allow' | 'refuse';
      unscoped?: boolean;
      via: SessionVia;
      webDevice?: string | undefined;
    },
  ): Promise<Concluded> {
    const who = attempt.who;
    const credential = attempt.proven.has('application_credential') ? who?.credential : undefined;
    if (!who || (!attempt.proven.has('password') && !credential)) throw notProven();
    const { member } = who;
    const secondFactor = attempt.proven.has('totp');
    let restricted = false;
    let enrolBy: string | undefined;
    let twoFactorOn = secondFactor;
    if (!secondFactor) {
      const [twoFactor, policy] = await Promise.all([
        this.rpc.call(OtpRpc.status, { memberId: member.user.id }, { meta: attempt.meta }),
        this.rpc.call(AccountRpc.policyOfMember, { memberId: member.user.id }, { meta: attempt.meta }),
      ]);
      if (twoFactor.enabled && !credential) return { kind: 'second_factor_required', member };
      twoFactorOn = twoFactor.enabled;
      // A credential made with the password alone is no second factor until its member confirms it.
      if (twoFactor.enabled && credential && !credential.secondFactor) {
        throw new DomainError(
          'application_credential_unconfirmed',
          'This application credential was made with the password alone, before two-factor authentication was turned on. Its member confirms it (with a code) or deletes it in Account Settings → Application credentials.',
        );
      }
      // Past its deadline a member without 2FA may only enrol; before it, until it.
      const deadline = twoFactor.enabled ? null : policy.twoFactorDeadline;
      if (deadline !== null) {
        restricted = Date.parse(deadline) <= this.clock.now().getTime();
        enrolBy = deadline;
      }
    }
    if (restricted && edge.restricted === 'refuse') {
      throw new DomainError(
        'two_factor_required',
        'Your account requires two-factor authentication. Turn it on in Account Settings, then sign in with your password and a passcode.',
      );
    }
    const issued = await this.sessions.issue({
      roles: credential ? credential.roles : member.user.roles,
      member,
      aal: secondFactor ? 2 : 1,
      stamp: who.stamp,
      methods: FACTOR_ORDER.filter((f) => attempt.proven.has(f)),
      unscoped: edge.unscoped === true,
      restricted,
      ...(enrolBy ? { enrolBy } : {}),
      twoFactor: twoFactorOn,
      ...(credential ? { applicationCredential: { id: credential.id, name: credential.name } } : {}),
      origin: {
        ip: attempt.meta.ip,
        userAgent: attempt.meta.userAgent,
        via: edge.via,
        // A credential is automation, whose sign-ins from anywhere are no news to its member.
        ...(credential
          ? {}
          : {
              device: deviceKeyOf({
                cookie: edge.webDevice,
                userAgent: attempt.meta.userAgent,
                ip: attempt.meta.ip,
              }),
            }),
      },
    });
    if (!issued) throw stale();
    if (issued.newDevice && edge.via !== 'application_credential') {
      this.tellNewDevice(member.user.id, issued.session.device ?? 'Unknown device', edge.via, attempt.meta);
    }
    return { kind: 'session', member, ...issued };
  }

  /** Not awaited: a failure only costs the member the e-mail, never the sign-in. */
  private tellNewDevice(
    memberId: string,
    device: string,
    via: Exclude<SessionVia, 'application_credential'>,
    meta: RequestMeta,
  ): void {
    this.rpc
      .call(AccountRpc.reportNewDevice, { memberId, device, via }, { meta })
      .catch((error: unknown) =>
        this.logger.warn(
          { err: error, reqId: meta.requestId },
          'Could not report a sign-in from a new device',
        ),
      );
  }

  async suspend(attempt: SignInAttempt): Promise<{ token: string; pending: PendingSignIn }> {
    const who = attempt.who;
    if (!who || !attempt.proven.has('password')) throw notProven();
    const issued = await this.pending.issue({
      member: who.member,
      proven: FACTOR_ORDER.filter((f) => attempt.proven.has(f)),
      stamp: who.stamp,
    });
    if (!issued) throw stale();
    return issued;
  }

  /** A resumed sign-in that did not complete stays usable until it expires (a wrong code, say). */
  async abandon(attempt: SignInAttempt): Promise<void> {
    if (attempt.resumed) await this.pending.putBack(attempt.resumed.token, attempt.resumed.pending);
  }
}
