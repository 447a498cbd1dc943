import { randomInt } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so codes read aloud or written down survive. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 12 symbols × 5 bits = 60 bits per code (the brief asks for at least 50). */
const LENGTH = 12;
export const RECOVERY_CODE_COUNT = 4;

export function newRecoveryCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i += 1) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** Also the typographic dashes that word processors and phones substitute for the hyphen. */
const SEPARATORS = /[\s\-\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;

/** The canonical form a code is hashed in: case, spaces and dashes do not matter; I/L read as 1, O as 0. */
export function canonicalRecoveryCode(input: string): string | undefined {
  const canonical = input.toUpperCase().replace(SEPARATORS, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  return canonical.length === LENGTH && [...canonical].every((c) => ALPHABET.includes(c))
    ? canonical
    : undefined;
}

export type PresentedCode = { kind: 'totp'; code: string } | { kind: 'recovery_code'; canonical: string };

export function classifyCode(input: string, digits: number): PresentedCode | undefined {
  const compact = input.replace(SEPARATORS, '');
  if (new RegExp(`^\\d{${digits}}$`).test(compact)) return { kind: 'totp', code: compact };
  const canonical = canonicalRecoveryCode(input);
  return canonical ? { kind: 'recovery_code', canonical } : undefined;
}
