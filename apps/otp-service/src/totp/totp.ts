import { randomBytes, timingSafeEqual } from 'node:crypto';
import { generateSync as hotp } from '@otplib/hotp';
import { NodeCryptoPlugin } from '@otplib/plugin-crypto-node';
import { generateSync, ScureBase32Plugin } from 'otplib';

export interface TotpParameters {
  algorithm: 'SHA1' | 'SHA256' | 'SHA512';
  digits: 6 | 8;
  period: number;
}

export const DEFAULT_TOTP: TotpParameters = { algorithm: 'SHA1', digits: 6, period: 30 };

/** RFC 4226 §4 asks for at least 128 bits and recommends 160: 20 bytes from the CSPRNG. */
export const SECRET_BYTES = 20;

const base32 = new ScureBase32Plugin();
/** node:crypto's HMAC rather than the pure-JS default: the same result for a fraction of the CPU. */
const crypto = new NodeCryptoPlugin();

export function newSecret(): Buffer {
  return randomBytes(SECRET_BYTES);
}

/** Without padding, as authenticator apps take it. */
export function toBase32(secret: Uint8Array): string {
  return base32.encode(secret, { padding: false });
}

export function base32ToBytes(secret: string): Uint8Array {
  return base32.decode(secret);
}

/** Every parameter explicit, so that no app has to guess. */
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

export const LEARNED_DRIFT_MAX = 2;
/** ±10 minutes of 30-second steps. */
export const RESYNC_MAX_STEPS = 20;

const hotpOf = (secret: Uint8Array, step: number, params: TotpParameters): Buffer =>
  Buffer.from(
    hotp({
      crypto,
      secret,
      counter: step,
      digits: params.digits,
      algorithm: params.algorithm.toLowerCase() as 'sha1' | 'sha256' | 'sha512',
    }),
  );

/** Compares every step in constant time, with no early exit. */
function firstMatch(
  secret: Uint8Array,
  presented: Buffer,
  steps: readonly number[],
  params: TotpParameters,
): number | undefined {
  let matched: number | undefined;
  for (const step of steps) {
    if (timingSafeEqual(hotpOf(secret, step, params), presented) && matched === undefined) matched = step;
  }
  return matched;
}

/** Finds the step only: whether it is inside the drifted window, and unused, is decided atomically in Redis. */
export function matchingStep(
  secret: Uint8Array,
  code: string,
  epochSeconds: number,
  params: TotpParameters = DEFAULT_TOTP,
  base = 0,
): number | undefined {
  if (code.length !== params.digits || !/^\d+$/.test(code)) return undefined;
  const presented = Buffer.from(code);
  const centre = Math.floor(epochSeconds / params.period) + base;
  const near = firstMatch(secret, presented, [centre - 1, centre, centre + 1], params);
  if (near !== undefined) return near;
  const reach = LEARNED_DRIFT_MAX + 1;
  const far: number[] = [];
  for (let d = 2; d <= reach; d += 1) far.push(centre - d, centre + d);
  return firstMatch(secret, presented, far, params);
}

/** Two consecutive codes are what a phone shows and a guesser does not. */
export function resyncStep(
  secret: Uint8Array,
  first: string,
  second: string,
  epochSeconds: number,
  params: TotpParameters = DEFAULT_TOTP,
): number | undefined {
  const sixDigits = new RegExp(`^\\d{${params.digits}}$`);
  if (!sixDigits.test(first) || !sixDigits.test(second)) return undefined;
  const current = Math.floor(epochSeconds / params.period);
  const a = Buffer.from(first);
  const b = Buffer.from(second);
  let found: number | undefined;
  let previous = hotpOf(secret, current - RESYNC_MAX_STEPS - 1, params);
  for (let step = current - RESYNC_MAX_STEPS; step <= current + RESYNC_MAX_STEPS; step += 1) {
    const code = hotpOf(secret, step, params);
    const pair = Number(timingSafeEqual(previous, a)) & Number(timingSafeEqual(code, b));
    if (pair === 1 && found === undefined) found = step;
    previous = code;
  }
  return found;
}
