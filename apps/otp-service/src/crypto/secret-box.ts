import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { OTP_CONFIG, type OtpConfig } from '../config/otp-config';
import { type EncryptionKey, type EncryptionKeyring } from './encryption-keys';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealed {
  keyId: string;
  ciphertext: Buffer;
}

export interface KeyedHash {
  keyId: string;
  hash: Buffer;
}

/** `context` (e.g. the member id) is authenticated data, so a ciphertext cannot be moved to another row. */
@Injectable()
export class SecretBox {
  private readonly keyring: EncryptionKeyring;
  private readonly hmacKeys: Map<string, Buffer>;

  constructor(@Inject(OTP_CONFIG) config: Pick<OtpConfig, 'OTP_ENCRYPTION_KEYS'>) {
    this.keyring = config.OTP_ENCRYPTION_KEYS;
    this.hmacKeys = new Map(this.keyring.all.map((k) => [k.id, deriveHmacKey(k)]));
  }

  get currentKeyId(): string {
    return this.keyring.current.id;
  }

  seal(plaintext: Buffer, context: string): Sealed {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyring.current.key, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { keyId: this.keyring.current.id, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]) };
  }

  canOpen(keyId: string): boolean {
    return this.keyring.all.some((k) => k.id === keyId);
  }

  open(sealed: Sealed, context: string): Buffer {
    const key = this.keyring.all.find((k) => k.id === sealed.keyId);
    if (!key) throw new Error(`encryption key "${sealed.keyId}" is not configured (OTP_ENCRYPTION_KEYS)`);
    const iv = sealed.ciphertext.subarray(0, IV_BYTES);
    const tag = sealed.ciphertext.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key.key, iv);
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(tag);
    return Buffer.concat([
      decipher.update(sealed.ciphertext.subarray(IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]);
  }

  hashForStorage(code: string): KeyedHash {
    return { keyId: this.keyring.current.id, hash: this.hmac(this.keyring.current.id, code) };
  }

  candidateHashes(code: string): Buffer[] {
    return [...this.hmacKeys.keys()].map((id) => this.hmac(id, code));
  }

  private hmac(keyId: string, code: string): Buffer {
    return createHmac('sha256', this.hmacKeys.get(keyId)!).update(code).digest();
  }
}

function deriveHmacKey(key: EncryptionKey): Buffer {
  return Buffer.from(hkdfSync('sha256', key.key, Buffer.alloc(0), 'twofold recovery-code hmac v1', 32));
}
