import {
  accountNameSchema,
  loginSchema,
  newMemberSchema,
  newPasswordSchema,
  passwordLoginRequestSchema,
} from './account';

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

describe('newMemberSchema', () => {
  const member = { login: 'carol', email: 'carol@example.com' };
  const issues = (value: unknown) => {
    const parsed = newMemberSchema.safeParse(value);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('takes the password the caller generated for an ops-only member, and needs it', () => {
    expect(issues({ ...member, roles: ['ops'], password: 'a long generated password' })).toEqual([]);
    expect(issues({ ...member, roles: ['ops'] })).toEqual(['password: is needed for an ops-only member']);
  });

  it('invites anyone else, whose password nobody but the member chooses', () => {
    expect(issues({ ...member, roles: ['admin'] })).toEqual([]);
    expect(issues({ ...member, roles: ['billing', 'ops'], password: 'chosen by an admin' })).toEqual([
      'password: is chosen by the member itself from its invitation: leave it out',
    ]);
  });
});
