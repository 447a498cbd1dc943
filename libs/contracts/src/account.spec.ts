import { accountNameSchema, loginSchema, newPasswordSchema, passwordLoginRequestSchema } from './account';

describe('newPasswordSchema', () => {
  it('accepts 12 to 256 characters of anything, spaces and emoji included', () => {
    expect(newPasswordSchema.safeParse('correct horse').success).toBe(true);
    expect(newPasswordSchema.safeParse('🔑'.repeat(6) + 'abcdef').success).toBe(true);
    expect(newPasswordSchema.safeParse('x'.repeat(256)).success).toBe(true);
  });

  it('refuses fewer than 12 or more than 256 characters', () => {
    expect(newPasswordSchema.safeParse('x'.repeat(11)).success).toBe(false);
    expect(newPasswordSchema.safeParse('x'.repeat(257)).success).toBe(false);
  });
});

describe('passwordLoginRequestSchema', () => {
  it('does not apply the password policy at sign-in', () => {
    expect(passwordLoginRequestSchema.safeParse({ login: 'alice', password: 'short' }).success).toBe(true);
  });
});

describe('loginSchema', () => {
  it('trims surrounding spaces and accepts e-mail-like logins', () => {
    expect(loginSchema.parse('  alice.smith@acme  ')).toBe('alice.smith@acme');
  });

  it('refuses spaces and control characters inside', () => {
    expect(loginSchema.safeParse('alice smith').success).toBe(false);
    expect(loginSchema.safeParse('alice\u0000').success).toBe(false);
  });
});

describe('accountNameSchema', () => {
  it('accepts a Keystone-sized project name with spaces and accents', () => {
    expect(accountNameSchema.safeParse('Équipe Ops-2').success).toBe(true);
    expect(accountNameSchema.safeParse('a'.repeat(65)).success).toBe(false);
  });
});
