import { hash, randomBytes } from 'node:crypto';

/** The member id, base64url: 16 bytes in 22 characters. */
const MEMBER_PART = 22;
const SECRET_BYTES = 32;
export const MEMBER_TOKEN_LENGTH = MEMBER_PART + 43;

/** Names its member (not secret: Keystone token bodies show it), so one Redis round trip gets grant and stamp. */
export function newMemberToken(memberId: string): string {
  const member = Buffer.from(memberId.replace(/-/g, ''), 'hex').toString('base64url');
  return `${member}${pooledRandomBytes(SECRET_BYTES).toString('base64url')}`;
}

/** Drawn from the CSPRNG a few kilobytes at a time, as randomUUID does; each byte is handed out once. */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let drawn = 0;
export function pooledRandomBytes(size: number): Buffer {
  if (drawn + size > pool.length) {
    pool = randomBytes(Math.max(POOL_BYTES, size));
    drawn = 0;
  }
  drawn += size;
  return pool.subarray(drawn - size, drawn);
}

export function memberOfToken(token: string): string | undefined {
  if (token.length !== MEMBER_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const hex = Buffer.from(token.slice(0, MEMBER_PART), 'base64url').toString('hex');
  if (hex.length !== 32) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function hashToken(token: string): string {
  return hash('sha256', token, 'base64url');
}
