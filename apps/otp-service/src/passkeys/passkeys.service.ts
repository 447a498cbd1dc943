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
  type CreationOptions,
  DomainError,
  type Passkey,
  type RegistrationResponse,
  type RequestOptions,
} from '@twofold/contracts';
import { Clock } from '@twofold/platform';
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

const refused = (): DomainError =>
  new DomainError(
    'passkey_refused',
    'The passkey could not be verified. Try again, or use another way to sign in.',
  );

/**
 * The WebAuthn ceremonies (@simplewebauthn/server): options with a single-use challenge bound to
 * the member and the flow, and the verification of the authenticator's answer against it.
 */
@Injectable()
export class PasskeysService {
  constructor(
    private readonly passkeys: PasskeysRepository,
    private readonly challenges: WebAuthnChallenges,
    @Inject(WEBAUTHN_SETTINGS) private readonly settings: WebAuthnSettings,
    private readonly clock: Clock,
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

  /** The passkey, stored; refused unless it answers this member's registration challenge. */
  async register(
    member: Member,
    request: { name: string; response: RegistrationResponse },
  ): Promise<Passkey> {
    const rp = this.relyingParty();
    const challenge = challengeOf(request.response.response.clientDataJSON);
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
    const stored = await this.passkeys.insert(
      {
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
      },
      this.clock.now(),
    );
    if (!stored) {
      throw new DomainError('passkey_already_registered', 'This passkey is registered already.');
    }
    return passkeyView(stored);
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

  /**
   * The passkey that answered, and whether the authenticator verified its user. Refused unless the
   * challenge was issued for this flow and member, the passkey is the member's (by id and user
   * handle), and its signature counter moved forward (a counter going back is a cloned key).
   */
  async authenticate(
    flow: Exclude<ChallengeFlow, 'registration'>,
    memberId: string | null,
    response: AuthenticationResponse,
  ): Promise<{ passkey: PasskeyEntity; userVerified: boolean } | { cloned: PasskeyEntity }> {
    const rp = this.relyingParty();
    const challenge = challengeOf(response.response.clientDataJSON);
    if (!challenge || !(await this.challenges.take(challenge, flow, memberId))) throw refused();
    const passkey = await this.passkeys.findByCredentialId(response.id);
    if (!passkey || (memberId !== null && passkey.memberId !== memberId)) throw refused();
    const handle = response.response.userHandle;
    if (handle !== undefined && handle !== userHandleOf(passkey.memberId).toString('base64url'))
      throw refused();
    if (flow === 'passwordless' && handle === undefined) throw refused();
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
    return { passkey, userVerified: info.userVerified };
  }

  private relyingParty(): Extract<WebAuthnSettings, { enabled: true }> {
    if (!this.settings.enabled) {
      throw new DomainError('passkeys_unavailable', 'Passkeys are not available on this deployment.');
    }
    return this.settings;
  }
}

/** The challenge an answer signed, from its client data; the ceremony checks the rest of it. */
function challengeOf(clientDataJSON: string): string | undefined {
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as {
      challenge?: unknown;
    };
    return typeof data.challenge === 'string' && data.challenge.length <= 128 ? data.challenge : undefined;
  } catch {
    return undefined;
  }
}

const descriptorOf = (passkey: PasskeyEntity): { id: string; transports: Transport[] } => ({
  id: passkey.credentialId,
  transports: passkey.transports as Transport[],
});
