import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { type CBORType, encodeCBOR } from '@levischuck/tiny-cbor';

interface Held {
  id: Buffer;
  rpId: string;
  userHandle: string;
  key: KeyObject;
  counter: number;
}

const b64u = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();
const uint32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

const FLAG_USER_PRESENT = 0x01;
const FLAG_USER_VERIFIED = 0x04;
const FLAG_BACKUP_ELIGIBLE = 0x08;
const FLAG_BACKED_UP = 0x10;
const FLAG_ATTESTED = 0x40;

/**
 * A WebAuthn authenticator in software for tests (ES256 keys, `none` attestation): answers
 * creation and request options the way a browser's `toJSON()` serialises them.
 */
export class SoftwareAuthenticator {
  private readonly held: Held[] = [];

  constructor(
    private readonly traits: { userVerification?: boolean; synced?: boolean; counts?: boolean } = {},
  ) {}

  create(
    options: { challenge: string; rp: { id?: string }; user: { id: string } },
    origin: string,
  ): {
    id: string;
    rawId: string;
    type: 'public-key';
    response: { clientDataJSON: string; attestationObject: string; transports: string[] };
    authenticatorAttachment: 'platform';
    clientExtensionResults: Record<string, never>;
  } {
    const rpId = options.rp.id ?? new URL(origin).hostname;
    const { id, coseKey } = this.newCredential(rpId, options.user.id);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(id.length);
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([this.flags() | FLAG_ATTESTED]),
      uint32(0),
      Buffer.alloc(16),
      length,
      id,
      Buffer.from(coseKey),
    ]);
    const clientDataJSON = JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin });
    const attestationObject = encodeCBOR(
      new Map<string, CBORType>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    return {
      id: b64u(id),
      rawId: b64u(id),
      type: 'public-key',
      response: {
        clientDataJSON: b64u(Buffer.from(clientDataJSON)),
        attestationObject: b64u(attestationObject),
        transports: ['internal'],
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
  }

  /** With `allowCredentials`, one of those; without, the first held for the site (discoverable). */
  get(
    options: { challenge: string; rpId?: string; allowCredentials?: { id: string }[] },
    origin: string,
  ): {
    id: string;
    rawId: string;
    type: 'public-key';
    response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle: string };
    authenticatorAttachment: 'platform';
    clientExtensionResults: Record<string, never>;
  } {
    const rpId = options.rpId ?? new URL(origin).hostname;
    const allowed = options.allowCredentials?.length ? options.allowCredentials.map((c) => c.id) : undefined;
    const credential = this.held.find((h) => h.rpId === rpId && (!allowed || allowed.includes(b64u(h.id))));
    if (!credential) throw new Error('no credential for this site');
    if (this.traits.counts !== false) credential.counter += 1;
    const authData = Buffer.concat([sha256(rpId), Buffer.from([this.flags()]), uint32(credential.counter)]);
    const clientDataJSON = Buffer.from(
      JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin }),
    );
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.key);
    return {
      id: b64u(credential.id),
      rawId: b64u(credential.id),
      type: 'public-key',
      response: {
        clientDataJSON: b64u(clientDataJSON),
        authenticatorData: b64u(authData),
        signature: b64u(signature),
        userHandle: credential.userHandle,
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
  }

  /** A credential made outside a ceremony, to seed a store with (the bench): its id and COSE public key. */
  enrol(rpId: string, userHandle: string): { credentialId: string; publicKey: string } {
    const { id, coseKey } = this.newCredential(rpId, userHandle);
    return { credentialId: b64u(id), publicKey: b64u(coseKey) };
  }

  private newCredential(rpId: string, userHandle: string): { id: Buffer; coseKey: Uint8Array } {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const id = randomBytes(32);
    this.held.push({ id, rpId, userHandle, key: privateKey, counter: 0 });
    const coseKey = encodeCBOR(
      new Map<number, CBORType>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    return { id, coseKey };
  }

  /** Another authenticator holding copies of these keys, counters included (a cloned key). */
  clone(): SoftwareAuthenticator {
    const copy = new SoftwareAuthenticator(this.traits);
    copy.held.push(...this.held.map((h) => ({ ...h })));
    return copy;
  }

  private flags(): number {
    return (
      FLAG_USER_PRESENT |
      (this.traits.userVerification === false ? 0 : FLAG_USER_VERIFIED) |
      (this.traits.synced ? FLAG_BACKUP_ELIGIBLE | FLAG_BACKED_UP : 0)
    );
  }
}
