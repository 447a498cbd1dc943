import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import {
  type AuthenticationResponse,
  type CallerGrant,
  type CreationOptions,
  DomainError,
  type Passkey,
  type PasskeyProof,
  type PasskeyRpc,
  type RegistrationResponse,
  type RequestOptions,
  type RpcRequest,
  type RpcResponse,
} from '@twofold/contracts';
import {
  Clock,
  type RequestMeta,
  SecurityEventPublisher,
  SecurityStamps,
  signedChallenge,
} from '@twofold/platform';
import { CredentialsRepository } from '../credentials/credentials.repository';
import { RecoveryCodeIssuer } from '../recovery-codes/recovery-code-issuer';
import { RecoveryCodesRepository } from '../recovery-codes/recovery-codes.repository';
import { FactorOwners } from '../verification/factor-owner';
import { SecondFactorAudit } from '../verification/second-factor-audit';
import { secondFactorLocked } from '../verification/totp-checker';
import { type PasskeyEntity } from './passkey.entity';
import { PasskeysRepository, passkeyView } from './passkeys.repository';
import { CHALLENGE_TTL_MS, type ChallengeFlow, WebAuthnChallenges } from './webauthn-challenges';
import { type WebAuthnSettings } from './webauthn-settings';

export const WEBAUTHN_SETTINGS = Symbol('WEBAUTHN_SETTINGS');

interface Member {
  memberId: string;
  accountId: string;
  login: string;
}

type Transport = NonNullable<NonNullable<RequestOptions['allowCredentials']>[number]['transports']>[number];

/** The member's WebAuthn user handle: its id's 16 bytes, so no other member's passkey can claim it. */
export const userHandleOf = (memberId: string): Buffer => Buffer.from(memberId.replace(/-/g, ''), 'hex');

const notFound = (): DomainError => new DomainError('not_found', 'There is no such passkey of yours.');

const alreadyRegistered = (): DomainError =>
  new DomainError('passkey_already_registered', 'This passkey is registered already.');

const lastFactor = (): DomainError =>
  new DomainError(
    'two_factor_required_by_policy',
    'Your account requires two-factor authentication: add another passkey or an authenticator app before removing your last one.',
  );

const refused = (): DomainError =>
  new DomainError(
    'passkey_refused',
    'The passkey could not be verified. Try again, or use another way to sign in.',
  );

/** The WebAuthn ceremonies (@simplewebauthn/server), each on a single-use challenge of one flow and member. */
@Injectable()
export class PasskeysService {
  constructor(
    private readonly passkeys: PasskeysRepository,
    private readonly challenges: WebAuthnChallenges,
    @Inject(WEBAUTHN_SETTINGS) private readonly settings: WebAuthnSettings,
    private readonly clock: Clock,
    private readonly credentials: CredentialsRepository,
    private readonly recoveryCodes: RecoveryCodesRepository,
    private readonly issuer: RecoveryCodeIssuer,
    private readonly stamps: SecurityStamps,
    private readonly events: SecurityEventPublisher,
    private readonly owners: FactorOwners,
    private readonly audit: SecondFactorAudit,
  ) {}

  async list(memberId: string): Promise<Passkey[]> {
    return (await this.passkeys.listOf(memberId)).map(passkeyView);
  }

  async registrationOptions(member: Member): Promise<{ options: CreationOptions }> {
    const rp = this.relyingParty();
    const existing = await this.passkeys.listOf(member.memberId);
    const challenge = await this.challenges.issue('registration', member.memberId);
    const options = await generateRegistrationOptions({
      rpName: rp.rpName,
      rpID: rp.rpId,
      userName: member.login,
      userID: new Uint8Array(userHandleOf(member.memberId)),
      challenge: new Uint8Array(Buffer.from(challenge, 'base64url')),
      timeout: CHALLENGE_TTL_MS,
      attestationType: 'none',
      excludeCredentials: existing.map(descriptorOf),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    });
    return { options: options as CreationOptions };
  }

  /** Stored if it answers this member's challenge; a first factor turns 2FA on (codes, new stamp). */
  async register(
    member: Member,
    request: { name: string; response: RegistrationResponse; grant: CallerGrant },
    meta: RequestMeta | null,
  ): Promise<RpcResponse<typeof PasskeyRpc.register>> {
    const rp = this.relyingParty();
    const challenge = signedChallenge(request.response.response.clientDataJSON);
    if (!challenge || !(await this.challenges.take(challenge, 'registration', member.memberId)))
      throw refused();
    const verified = await verifyRegistrationResponse({
      response: request.response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.rpId,
      requireUserVerification: false,
    }).catch(() => undefined);
    if (!verified?.verified) throw refused();
    const info = verified.registrationInfo;
    const row = {
      id: randomUUID(),
      memberId: member.memberId,
      accountId: member.accountId,
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey),
      signCount: info.credential.counter,
      transports: info.credential.transports ?? [],
      aaguid: info.aaguid,
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      name: request.name,
    };
    if (await this.passkeys.findByCredentialId(row.credentialId)) throw alreadyRegistered();
    const codes = this.issuer.issue();
    const store = (check: () => Promise<void>) =>
      this.credentials.transaction(async (tx) => {
        await this.credentials.lockMember(member.memberId, tx);
        await check();
        const first = !(await this.credentials.accountOfEnabled(member.memberId, tx));
        const stored = await this.passkeys.insert(row, this.clock.now(), tx);
        if (!stored) throw alreadyRegistered();
        if (first) await this.recoveryCodes.replaceAll(member.memberId, codes, tx);
        await this.events.emit(
          {
            type: 'passkey.added',
            accountId: member.accountId,
            actorId: member.memberId,
            subjectId: member.memberId,
            details: {
              passkeyId: row.id,
              name: row.name,
              ...(first ? { twoFactorEnabled: true as const } : {}),
            },
          },
          meta,
          tx,
        );
        return { passkey: passkeyView(stored), first };
      });
    // 2FA already on: nothing the member holds loses its meaning, so only the caller's grant is checked.
    if (await this.credentials.accountOfEnabled(member.memberId)) {
      const added = await store(() => this.stamps.assertCurrent(member.memberId, request.grant.stamp));
      if (!added.first) return { passkey: added.passkey };
    }
    const { result, kept } = await this.stamps.change(
      [{ id: member.memberId, keep: request.grant.stamp }],
      (hold) => store(() => hold.check()),
    );
    const securityStamp = kept[member.memberId];
    return {
      passkey: result.passkey,
      ...(result.first ? { recoveryCodes: codes.plain } : {}),
      ...(securityStamp ? { securityStamp } : {}),
    };
  }

  async rename(memberId: string, id: string, name: string): Promise<{ passkey: Passkey }> {
    const renamed = await this.passkeys.rename(memberId, id, name);
    if (!renamed) throw notFound();
    return { passkey: passkeyView(renamed) };
  }

  /** Ends the member's other grants: what the passkey signed in may have been someone else. */
  async remove(
    request: RpcRequest<typeof PasskeyRpc.remove>,
    meta: RequestMeta | null,
  ): Promise<RpcResponse<typeof PasskeyRpc.remove>> {
    const { memberId } = request;
    // Refusals are answered before the stamp is held: a change that fails there ends every grant.
    const mine = await this.passkeys.listOf(memberId);
    if (!mine.some((p) => p.id === request.id)) throw notFound();
    if (request.keepTwoFactor && mine.length === 1 && !(await this.credentials.findActive(memberId))) {
      throw lastFactor();
    }
    const { result, kept } = await this.stamps.change([{ id: memberId, keep: request.grant.stamp }], (hold) =>
      this.credentials.transaction(async (tx) => {
        await this.credentials.lockMember(memberId, tx);
        await hold.check();
        const removed = await this.passkeys.delete(memberId, request.id, tx);
        if (!removed) throw notFound();
        const twoFactorOff = !(await this.credentials.accountOfEnabled(memberId, tx));
        if (twoFactorOff && request.keepTwoFactor) throw lastFactor();
        await this.credentials.dropCodesIfNoFactor(memberId, tx);
        await this.events.emit(
          {
            type: twoFactorOff ? 'two_factor.disabled' : 'passkey.removed',
            accountId: removed.accountId,
            actorId: memberId,
            subjectId: memberId,
            details: twoFactorOff ? {} : { passkeyId: removed.id, name: removed.name },
          },
          meta,
          tx,
        );
        return { twoFactorOff };
      }),
    );
    if (result.twoFactorOff) await this.owners.forget(memberId, []);
    const securityStamp = kept[memberId];
    return { ...result, ...(securityStamp ? { securityStamp } : {}) };
  }

  /** For a member (second factor, step-up): its passkeys; passwordless: any discoverable one. */
  async authenticationOptions(
    flow: Exclude<ChallengeFlow, 'registration'>,
    memberId: string | null,
  ): Promise<{ options: RequestOptions }> {
    const rp = this.relyingParty();
    const mine = memberId ? await this.passkeys.listOf(memberId) : [];
    const challenge = await this.challenges.issue(flow, memberId);
    const options = await generateAuthenticationOptions({
      rpID: rp.rpId,
      challenge: new Uint8Array(Buffer.from(challenge, 'base64url')),
      timeout: CHALLENGE_TTL_MS,
      allowCredentials: mine.map(descriptorOf),
      userVerification: flow === 'passwordless' ? 'required' : 'preferred',
    });
    return { options: options as RequestOptions };
  }

  async authenticate(
    request: RpcRequest<typeof PasskeyRpc.authenticate>,
    meta: RequestMeta | null,
  ): Promise<PasskeyProof> {
    const { flow, memberId } = request;
    const now = this.clock.now();
    const owner = memberId ? await this.owners.of(memberId) : undefined;
    if (memberId && !owner) throw refused();
    const standing = owner ? await this.owners.standing(owner) : undefined;
    if (standing?.locked) throw secondFactorLocked();
    const answer = await this.check(flow, memberId, request.response).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'passkey_refused') return undefined;
      throw error;
    });
    if (!answer || 'cloned' in answer || (flow === 'passwordless' && !answer.userVerified)) {
      if (answer && 'cloned' in answer) await this.reportClone(answer.cloned, meta);
      if (owner) {
        await this.audit.failed(owner, meta);
        if (await this.owners.failed(owner, now, meta)) throw secondFactorLocked();
      }
      throw refused();
    }
    const { passkey, userVerified, securityStamp } = answer;
    const proven = owner ?? (await this.owners.of(passkey.memberId));
    const counted = standing ?? (proven ? await this.owners.standing(proven) : undefined);
    if (!proven || counted?.locked) throw secondFactorLocked();
    await this.owners.succeeded(proven, false, counted?.failures);
    this.audit.succeeded(proven, 'webauthn', meta);
    return {
      memberId: passkey.memberId,
      accountId: passkey.accountId,
      passkeyId: passkey.id,
      amr: passkey.deviceType === 'singleDevice' ? 'hwk' : 'swk',
      userVerified,
      ...(securityStamp ? { securityStamp } : {}),
    };
  }

  private async reportClone(passkey: PasskeyEntity, meta: RequestMeta | null): Promise<void> {
    await this.events.emit(
      {
        type: 'passkey.clone_detected',
        accountId: passkey.accountId,
        actorId: null,
        subjectId: passkey.memberId,
        details: { passkeyId: passkey.id, name: passkey.name },
      },
      meta,
    );
  }

  /** Refused unless challenge, flow, member, user handle and signature agree; a clone is answered, to be reported. */
  private async check(
    flow: Exclude<ChallengeFlow, 'registration'>,
    memberId: string | null,
    response: AuthenticationResponse,
  ): Promise<
    { passkey: PasskeyEntity; userVerified: boolean; securityStamp?: string } | { cloned: PasskeyEntity }
  > {
    const rp = this.relyingParty();
    const challenge = signedChallenge(response.response.clientDataJSON);
    if (!challenge || !(await this.challenges.take(challenge, flow, memberId))) throw refused();
    const passkey = await this.passkeys.findByCredentialId(response.id);
    if (!passkey || (memberId !== null && passkey.memberId !== memberId)) throw refused();
    const handle = response.response.userHandle;
    if (handle !== undefined && handle !== userHandleOf(passkey.memberId).toString('base64url'))
      throw refused();
    if (flow === 'passwordless' && handle === undefined) throw refused();
    const securityStamp = memberId === null ? await this.stamps.current(passkey.memberId) : undefined;
    const verified = await verifyAuthenticationResponse({
      response: response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.rpId,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: 0,
        transports: passkey.transports,
      },
      requireUserVerification: flow === 'passwordless',
    }).catch(() => undefined);
    if (!verified?.verified) throw refused();
    const info = verified.authenticationInfo;
    // Checked here, not by the library, so that a clone is told apart from a bad signature.
    if (
      !(await this.passkeys.recordUse(passkey.id, info.newCounter, info.credentialBackedUp, this.clock.now()))
    ) {
      return { cloned: passkey };
    }
    return { passkey, userVerified: info.userVerified, ...(securityStamp ? { securityStamp } : {}) };
  }

  private relyingParty(): Extract<WebAuthnSettings, { enabled: true }> {
    if (!this.settings.enabled) {
      throw new DomainError('passkeys_unavailable', 'Passkeys are not available on this deployment.');
    }
    return this.settings;
  }
}

const descriptorOf = (passkey: PasskeyEntity): { id: string; transports: Transport[] } => ({
  id: passkey.credentialId,
  transports: passkey.transports as Transport[],
});
