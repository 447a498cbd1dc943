import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  AccountRpc,
  DomainError,
  type MemberWithAccount,
  OtpRpc,
  type SecondFactorKind,
  type SessionVia,
  usableFactors,
} from '@twofold/contracts';
import { Clock, type RequestMeta, RpcClient } from '@twofold/platform';
import { PinoLogger } from 'nestjs-pino';
import { deviceKeyOf } from '../sessions/device';
import { type IssuedSession } from '../sessions/session';
import { SessionStore } from '../sessions/session.store';
import { ApplicationCredentialMethod } from './methods/application-credential.method';
import { PasskeyMethod } from './methods/passkey.method';
import { PasswordMethod } from './methods/password.method';
import { TotpMethod } from './methods/totp.method';
import { WebAuthnMethod } from './methods/webauthn.method';
import { PendingSignInStore, type PendingSignIn } from './pending-sign-in.store';
import { type Factor, SignInAttempt, type SignInMethod } from './sign-in-method';

/** Every method, in the order a request's proofs are tried: registering one is a line here. */
export const SIGN_IN_METHODS = {
  application_credential: ApplicationCredentialMethod,
  passkey: PasskeyMethod,
  password: PasswordMethod,
  totp: TotpMethod,
  webauthn: WebAuthnMethod,
} as const satisfies Record<Factor, new (...args: never[]) => SignInMethod<never>>;

type InputOf<M> = M extends SignInMethod<infer I> ? I : never;

/** What a request offers, by method; each is proven by its method, in SIGN_IN_METHODS' order. */
export type Proofs = { [F in Factor]?: InputOf<InstanceType<(typeof SIGN_IN_METHODS)[F]>> };

export interface Edge {
  /** A member whose account's 2FA deadline passed: an enrol-only session, or refused. */
  restricted: 'allow' | 'refuse';
  unscoped?: boolean;
  via: SessionVia;
  webDevice?: string | undefined;
  /** Rules of the edge on who proved the first factors, before any second factor is tried. */
  afterFirstFactors?: (who: MemberWithAccount | undefined) => void;
  /** `false`: a missing second factor is answered, not kept as a pending sign-in (Keystone v2.0). */
  suspend?: false;
  /** The edge's words for a method's refusal. */
  translate?: (factor: Factor, error: unknown) => unknown;
}

export type Submitted =
  | ({ kind: 'session'; member: MemberWithAccount } & IssuedSession)
  | {
      kind: 'pending';
      member: MemberWithAccount;
      token: string;
      pending: PendingSignIn;
      factors: SecondFactorKind[];
    }
  | { kind: 'second_factor_required'; member: MemberWithAccount; factors: SecondFactorKind[] };

type Concluded = Exclude<Submitted, { kind: 'pending' }>;

/** Keystone's order of methods in a token: the password, then the second factor. */
const FACTOR_ORDER: readonly Factor[] = ['password', 'totp', 'webauthn', 'passkey', 'application_credential'];

/** Refused before any method could tell why: the same answer for every login. */
const notProven = (): DomainError =>
  new DomainError('invalid_credentials', 'The login or password is incorrect.');

const stale = (): DomainError =>
  new DomainError(
    'mfa_token_invalid',
    'This sign-in is no longer valid (the member’s password, 2FA or roles changed, or it was removed). Sign in again with your password.',
  );

/**
 * One sign-in, whichever edge it came through: the edges translate their requests into proofs and the
 * outcome into their answers. Later methods need the password first, and no factor counts twice: two
 * second factors never make a sign-in.
 */
@Injectable()
export class SignInFlow implements OnModuleInit {
  private methods: readonly SignInMethod<unknown>[] = [];

  constructor(
    private readonly rpc: RpcClient,
    private readonly sessions: SessionStore,
    private readonly pending: PendingSignInStore,
    private readonly clock: Clock,
    private readonly logger: PinoLogger,
    private readonly modules: ModuleRef,
  ) {
    this.logger.setContext(SignInFlow.name);
  }

  onModuleInit(): void {
    this.methods = Object.values(SIGN_IN_METHODS).map((method) =>
      this.modules.get<SignInMethod<unknown>>(method),
    );
  }

  async resume(token: string, meta: RequestMeta): Promise<SignInAttempt | undefined> {
    const pending = await this.pending.take(token);
    return pending ? new SignInAttempt(meta, { token, pending }) : undefined;
  }

  /** Proves what is offered, then issues a session or keeps a pending sign-in; a failure puts a resumed one back. */
  async submit(attempt: SignInAttempt, proofs: Proofs, edge: Edge): Promise<Submitted> {
    try {
      let firstFactors = true;
      for (const method of this.methods) {
        const input = proofs[method.factor];
        if (method.secondFactor && firstFactors) {
          firstFactors = false;
          edge.afterFirstFactors?.(attempt.who?.member);
        }
        if (input !== undefined) {
          if (method.kind && !attempt.usable && attempt.who) await this.readUsable(attempt);
          await this.prove(attempt, method, input).catch((error: unknown) => {
            throw edge.translate ? edge.translate(method.factor, error) : error;
          });
        }
      }
      const concluded = await this.conclude(attempt, edge);
      if (concluded.kind === 'session' || edge.suspend === false) return concluded;
      const { token, pending } = await this.suspend(attempt);
      return { kind: 'pending', member: concluded.member, token, pending, factors: concluded.factors };
    } catch (error) {
      await this.putBack(attempt);
      throw error;
    }
  }

  /** Where no pending sign-in carries them (Keystone's password and passcode in one request). */
  private async readUsable(attempt: SignInAttempt): Promise<void> {
    const memberId = attempt.who!.member.user.id;
    const [twoFactor, policy] = await Promise.all([
      this.rpc.call(OtpRpc.status, { memberId }, { meta: attempt.meta }),
      this.rpc.call(AccountRpc.policyOfMember, { memberId }, { meta: attempt.meta }),
    ]);
    attempt.usable = usableFactors(policy, attempt.who!.member.user.roles, twoFactor.factors);
    attempt.passkeyBy = policy.passkeyDeadline ?? undefined;
  }

  /** Whether one of the proven methods is among those that match the predicate. */
  private provenAny(attempt: SignInAttempt, which: (method: SignInMethod<unknown>) => boolean): boolean {
    return this.methods.some((method) => which(method) && attempt.proven.has(method.factor));
  }

  private async prove(attempt: SignInAttempt, method: SignInMethod<unknown>, input: unknown): Promise<void> {
    const combined =
      attempt.proven.size > 0 && (method.alone === true || this.provenAny(attempt, (m) => m.alone === true));
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

  private async conclude(attempt: SignInAttempt, edge: Edge): Promise<Concluded> {
    const who = attempt.who;
    if (!who || !this.provenAny(attempt, (m) => m.secondFactor !== true)) throw notProven();
    const { member, credential } = who;
    const secondFactor = this.provenAny(attempt, (m) => m.secondFactor === true || m.bothFactors === true);
    let restricted = false;
    let enrolBy: string | undefined;
    let twoFactorOn = secondFactor;
    if (!secondFactor) {
      const [twoFactor, policy] = await Promise.all([
        this.rpc.call(OtpRpc.status, { memberId: member.user.id }, { meta: attempt.meta }),
        this.rpc.call(AccountRpc.policyOfMember, { memberId: member.user.id }, { meta: attempt.meta }),
      ]);
      if (twoFactor.enabled && !credential) {
        attempt.usable = usableFactors(policy, member.user.roles, twoFactor.factors);
        attempt.passkeyBy = policy.passkeyDeadline ?? undefined;
        return { kind: 'second_factor_required', member, factors: attempt.usable };
      }
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
    // Past the policy's passkey deadline, a sign-in without one may only add one.
    const passkeyMissing =
      secondFactor &&
      attempt.passkeyBy !== undefined &&
      !attempt.usable?.includes('webauthn') &&
      Date.parse(attempt.passkeyBy) <= this.clock.now().getTime();
    if (passkeyMissing && edge.restricted === 'refuse') {
      throw new DomainError(
        'phishing_resistant_factor_required',
        'Your account requires a passkey for your role: add one in Account Settings → Passkeys. OpenStack clients sign in with an application credential.',
      );
    }
    restricted ||= passkeyMissing;
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
      ...(attempt.passkey ? { passkey: attempt.passkey } : {}),
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

  private async suspend(attempt: SignInAttempt): Promise<{ token: string; pending: PendingSignIn }> {
    const who = attempt.who;
    // Only a first factor that another completes is kept (a method proven alone never waits).
    if (!who || !this.provenAny(attempt, (m) => m.secondFactor !== true && m.alone !== true))
      throw notProven();
    const issued = await this.pending.issue({
      member: who.member,
      proven: FACTOR_ORDER.filter((f) => attempt.proven.has(f)),
      stamp: who.stamp,
      usable: attempt.usable ?? [],
      ...(attempt.passkeyBy ? { passkeyBy: attempt.passkeyBy } : {}),
    });
    if (!issued) throw stale();
    return issued;
  }

  /** A resumed sign-in that did not complete stays usable until it expires (a wrong code, say). */
  async putBack(attempt: SignInAttempt): Promise<void> {
    if (attempt.resumed) await this.pending.putBack(attempt.resumed.token, attempt.resumed.pending);
  }
}
