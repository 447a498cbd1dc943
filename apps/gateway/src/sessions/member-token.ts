import { hash, randomBytes } from 'node:crypto';

/** The member id, base64url: 16 bytes in 22 characters. */
const MEMBER_PART = 22;
/** 256 random bits, base64url. */
const SECRET_BYTES = 32;
export const MEMBER_TOKEN_LENGTH = MEMBER_PART + 43;

/**
 * A bearer token that names its member: the member id (not secret: Keystone token bodies show
 * it) followed by 256 random bits. Knowing the member before any lookup lets one Redis round
 * trip fetch the grant and the member's security stamp together (and keeps both in one Redis
 * Cluster slot). Only a SHA-256 of the whole token is stored.
 */
export function newMemberToken(memberId: string): string {
  const member = Buffer.from(memberId.replace(/-/g, ''), 'hex').toString('base64url');
  return `${member}${pooledRandomBytes(SECRET_BYTES).toString('base64url')}`;
}

/**
 * Random bytes from the CSPRNG, drawn a few kilobytes at a time (as node:crypto's randomUUID
 * does): one call per token was a thirtieth of the gateway's time. Each byte is handed out once.
 */
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

/** The member a token names, or undefined for anything that is not such a token. */
export function memberOfToken(token: string): string | undefined {
  if (token.length !== MEMBER_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const hex = Buffer.from(token.slice(0, MEMBER_PART), 'base64url').toString('hex');
  if (hex.length !== 32) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** What a token is stored under: its SHA-256 (node:crypto's one-shot hash, less than half the cost of a Hash object). */
export function hashToken(token: string): string {
  return hash('sha256', token, 'base64url');
}
