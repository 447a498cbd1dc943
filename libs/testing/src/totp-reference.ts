import { createHmac } from 'node:crypto';

/** Written from the RFCs for tests only, so otplib is checked against code it shares nothing with. */
/** RFC 4226 Appendix D: HOTP of the ASCII secret "12345678901234567890" for counters 0 to 9. */
export const RFC4226_APPENDIX_D = [
  '755224',
  '287082',
  '359152',
  '969429',
  '338314',
  '254676',
  '287922',
  '162583',
  '399871',
  '520489',
];

export function hotpReference(
  secret: Buffer,
  counter: bigint,
  digits = 6,
  algorithm: 'sha1' | 'sha256' | 'sha512' = 'sha1',
): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(counter);
  const hmac = createHmac(algorithm, secret).update(message).digest();
  const offset = hmac[hmac.length - 1] & 0x0f;
  const binary =
    ((hmac[offset] & 0x7f) << 24) | (hmac[offset + 1] << 16) | (hmac[offset + 2] << 8) | hmac[offset + 3];
  return String(binary % 10 ** digits).padStart(digits, '0');
}

export function totpReference(
  secret: Buffer,
  epochSeconds: number,
  options: { digits?: number; period?: number; algorithm?: 'sha1' | 'sha256' | 'sha512' } = {},
): string {
  const step = BigInt(Math.floor(epochSeconds / (options.period ?? 30)));
  return hotpReference(secret, step, options.digits ?? 6, options.algorithm ?? 'sha1');
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(input: string): Buffer {
  const clean = input.toUpperCase().replace(/=+$/, '').replace(/\s/g, '');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function secretFromOtpauthUri(uri: string): Buffer {
  const url = new URL(uri);
  if (url.protocol !== 'otpauth:' || url.host !== 'totp') throw new Error('not an otpauth://totp URI');
  const secret = url.searchParams.get('secret');
  if (!secret) throw new Error('the URI has no secret');
  return base32Decode(secret);
}
