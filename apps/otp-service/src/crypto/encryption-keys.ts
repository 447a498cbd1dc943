import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** The keys in force: the first encrypts new secrets, all of them decrypt. */
export interface EncryptionKeyring {
  current: EncryptionKey;
  all: EncryptionKey[];
}

const KEY_ID = /^[A-Za-z0-9._-]{1,32}$/;

/** Newest key first. Returns a problem description instead of throwing, for the config schema. */
export function parseKeyring(value: string): EncryptionKeyring | string {
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) return 'must list at least one key as id:base64key';
  const all: EncryptionKey[] = [];
  for (const entry of entries) {
    const separator = entry.indexOf(':');
    const id = entry.slice(0, separator);
    const key = Buffer.from(entry.slice(separator + 1), 'base64');
    if (separator < 1 || !KEY_ID.test(id))
      return 'each key must be written id:base64key, the id made of letters, digits, . _ -';
    if (key.length !== 32) return `key "${id}" must be 32 bytes (AES-256), base64-encoded`;
    if (all.some((k) => k.id === id)) return `key id "${id}" appears twice`;
    all.push({ id, key });
  }
  return { current: all[0], all };
}

export function formatKey(id: string, key: Buffer): string {
  return `${id}:${key.toString('base64')}`;
}

/** Development only. Processes starting together agree on one file (exclusive create, then read). */
export function developmentKeys(file: string, today: Date): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dirname(file), { recursive: true });
    const id = `dev-${today.toISOString().slice(0, 10).replace(/-/g, '')}`;
    try {
      writeFileSync(file, `${formatKey(id, randomBytes(32))}\n`, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return readFileSync(file, 'utf8').trim();
  }
}
