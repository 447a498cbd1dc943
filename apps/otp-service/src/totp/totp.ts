import { randomBytes, timingSafeEqual } from 'node:crypto';
import { generateSync as hotp } from '@otplib/hotp';
import { NodeCryptoPlugin } from '@otplib/plugin-crypto-node';
import { generateSync, ScureBase32Plugin } from 'otplib';

/** Google-Authenticator-compatible parameters (RFC 6238 defaults). */
export interface TotpParameters {
  algorithm: 'SHA1' | 'SHA256' | 'SHA512';
  digits: 6 | 8;
  period: number;
}

export const DEFAULT_TOTP: TotpParameters = { algorithm: 'SHA1', digits: 6, period: 30 };

/** RFC 4226 §4 asks for at least 128 bits and recommends 160: 20 bytes from the CSPRNG. */
export const SECRET_BYTES = 20;

const base32 = new ScureBase32Plugin();
/** HMAC from node:crypto (OpenSSL) rather than the pure-JS default: the same RFC 6238, a fraction of the CPU. */
const crypto = new NodeCryptoPlugin();

export function newSecret(): Buffer {
  return randomBytes(SECRET_BYTES);
}

/** Base32 without padding, as authenticator apps take it. */
export function toBase32(secret: Uint8Array): string {
  return base32.encode(secret, { padding: false });
}

export function base32ToBytes(secret: string): Uint8Array {
  return base32.decode(secret);
}

/**
 * The otpauth:// URI authenticator apps scan (Google Authenticator's Key Uri Format), with
 * every parameter explicit so that no app has to guess.
 */
export function otpauthUri(input: {
  issuer: string;
  account: string;
  secret: Uint8Array;
  params: TotpParameters;
}): string {
  const label = `${encodeURIComponent(input.issuer)}:${encodeURIComponent(input.account)}`;
  const query = new URLSearchParams({
    secret: toBase32(input.secret),
    issuer: input.issuer,
    algorithm: input.params.algorithm,
    digits: String(input.params.digits),
    period: String(input.params.period),
  });
  return `otpauth://totp/${label}?${query.toString().replace(/\+/g, '%20')}`;
}

/** The code for a moment (seconds since the epoch). */
export function codeAt(
  secret: Uint8Array,
  epochSeconds: number,
  params: TotpParameters = DEFAULT_TOTP,
): string {
  return generateSync({
    crypto,
    secret,
    epoch: epochSeconds,
    period: params.period,
    digits: params.digits,
    algorithm: params.algorithm.toLowerCase() as 'sha1' | 'sha256' | 'sha512',
  });
}

/**
 * The time step a code belongs to, if it is valid for the previous, current or next step
 * (RFC 6238 §5.2 drift allowance); undefined otherwise. Each of the three steps' HOTP values
 * (RFC 4226, otplib's HOTP) is compared in constant time, whatever matched before — otplib's
 * TOTP `verifySync` does the same with three times the CPU, which the second factor's hot path
 * felt. Replay (a step already used) is decided by the caller, atomically, in Redis.
 */
export function matchingStep(
  secret: Uint8Array,
  code: string,
  epochSeconds: number,
  params: TotpParameters = DEFAULT_TOTP,
): number | undefined {
  if (code.length !== params.digits || !/^\d+$/.test(code)) return undefined;
  const presented = Buffer.from(code);
  const current = Math.floor(epochSeconds / params.period);
  let matched: number | undefined;
  for (const step of [current - 1, current, current + 1]) {
    const expected = hotp({
      crypto,
      secret,
      counter: step,
      digits: params.digits,
      algorithm: params.algorithm.toLowerCase() as 'sha1' | 'sha256' | 'sha512',
    });
    if (timingSafeEqual(Buffer.from(expected), presented) && matched === undefined) matched = step;
  }
  return matched;
}
