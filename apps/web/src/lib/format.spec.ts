import {
  cloudsYaml,
  describePolicyChange,
  expiryOf,
  describeEvent,
  formatWait,
  deadlineInWords,
  driftInWords,
  friendlyError,
  generatePassword,
  groupSecret,
  isCompleteOtp,
  otpInput,
  recoveryCodesFile,
  describeVia,
  timeAgo,
} from './format';
import { switchLanguage } from '../i18n';

describe(groupSecret.name, () => {
  it('shows a 32-symbol base32 key as eight groups of four', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
  });

  it('regroups a key that already has spaces, and leaves a short tail as it is', () => {
    expect(groupSecret('JBSW Y3DPE')).toBe('JBSW Y3DP E');
  });
});

describe(formatWait.name, () => {
  it.each([
    [1, '1 second'],
    [0.2, '1 second'],
    [45, '45 seconds'],
    [60, '1 minute'],
    [125, '2 minutes 5 seconds'],
    [900, '15 minutes'],
    [3660, '1 hour 1 minute'],
  ])('%s s → %s', (seconds, words) => {
    expect(formatWait(seconds)).toBe(words);
  });
});

describe(otpInput.name, () => {
  it('keeps the digits of a pasted code with spaces or dashes', () => {
    expect(otpInput(' 123 456 ')).toBe('123456');
    expect(otpInput('123-456')).toBe('123456');
  });

  it('never keeps more than six digits', () => {
    expect(otpInput('12345678')).toBe('123456');
  });

  it('knows a complete code', () => {
    expect(isCompleteOtp('123456')).toBe(true);
    expect(isCompleteOtp('12345')).toBe(false);
    expect(isCompleteOtp('12345a')).toBe(false);
  });
});

describe(recoveryCodesFile.name, () => {
  it('lists every code, numbered, with who and when, and how to use them', () => {
    const text = recoveryCodesFile(
      'alice',
      ['AAAA-BBBB-CCCC', 'DDDD-EEEE-FFFF'],
      new Date('2026-11-28T10:15:00Z'),
    );

    expect(text).toContain('Twofold recovery codes for alice');
    expect(text).toContain('Issued 2026-11-28 10:15 UTC');
    expect(text).toContain('1. AAAA-BBBB-CCCC\n2. DDDD-EEEE-FFFF');
    expect(text).toMatch(/signs you in once/);
  });
});

describe(generatePassword.name, () => {
  const cryptoBytes = (n: number) => crypto.getRandomValues(new Uint8Array(n));

  it('makes a 40-symbol password of unambiguous letters and digits (> 200 bits)', () => {
    const password = generatePassword(cryptoBytes);

    expect(password).toMatch(/^[A-HJ-NP-Za-km-z2-9]{40}$/);
  });

  it('never repeats itself', () => {
    const passwords = new Set(Array.from({ length: 200 }, () => generatePassword(cryptoBytes)));

    expect(passwords.size).toBe(200);
  });

  it('draws without modulo bias: a byte past the last whole cycle of the alphabet is skipped', () => {
    const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => [255, 0, 1][i % 3]);

    expect(generatePassword(bytes, 4)).toBe('ABAB');
  });
});

describe(friendlyError.name, () => {
  it('says how long to wait after too many wrong codes or passwords', () => {
    expect(friendlyError({ code: 'too_many_attempts', message: 'x', retryAfterSeconds: 16 })).toBe(
      'Too many failed attempts. Wait 16 seconds, then try again.',
    );
  });

  it('points a member whose sign-in is locked to an owner or admin', () => {
    expect(friendlyError({ code: 'sign_in_locked', message: 'x' })).toMatch(/owner or an admin/);
  });

  it('points a locked member to a recovery code or an admin', () => {
    expect(friendlyError({ code: 'second_factor_locked', message: 'x' })).toMatch(/recovery code.*admin/);
  });

  it('says "password" where only a password was asked for, "login and password" at sign-in', () => {
    expect(friendlyError({ code: 'invalid_credentials', message: 'x' }, 'password')).toBe(
      'That password is not right.',
    );
    expect(friendlyError({ code: 'invalid_credentials', message: 'x' })).toMatch(/login and password/);
  });

  it('tells a wrong recovery code from a wrong authenticator code', () => {
    expect(friendlyError({ code: 'invalid_code', message: 'x' })).toMatch(/clock/);
    expect(friendlyError({ code: 'invalid_code', message: 'x' }, 'recovery code')).toMatch(
      /recovery code .*works once/,
    );
  });

  it('leads a member whose password sign-in was stopped by “this wasn’t me” to a new password', () => {
    expect(friendlyError({ code: 'password_reset_required', message: 'x' })).toMatch(/Forgot your password/);
  });

  it('asks for the second factor with a reset link, and for a new link when one is spent', () => {
    expect(friendlyError({ code: 'second_factor_required', message: 'x' })).toMatch(/recovery code/);
    expect(friendlyError({ code: 'link_invalid', message: 'x' })).toMatch(/Ask for a new one/);
  });

  it('falls back to the server’s own words for anything else', () => {
    expect(friendlyError({ code: 'login_taken', message: 'That login is taken.' })).toBe(
      'That login is taken.',
    );
  });
});

describe(driftInWords.name, () => {
  it('says how far off a phone’s clock was, and which way', () => {
    expect(driftInWords(0)).toBe('on time');
    expect(driftInWords(-30)).toBe('30 seconds behind');
    expect(driftInWords(420)).toBe('7 minutes ahead');
    expect(driftInWords(-600)).toBe('10 minutes behind');
  });
});

describe(deadlineInWords.name, () => {
  const now = new Date('2026-12-01T09:00:00Z');

  it('says the date and the whole days left', () => {
    expect(deadlineInWords('2026-12-15T09:00:00Z', now)).toBe('by 15 Dec 2026 (14 days left)');
    expect(deadlineInWords('2026-12-02T10:00:00Z', now)).toBe('by 2 Dec 2026 (1 day left)');
    expect(deadlineInWords('2026-12-01T20:00:00Z', now)).toBe('by 1 Dec 2026 (less than a day left)');
  });

  it('says when a deadline has passed', () => {
    expect(deadlineInWords('2026-11-30T09:00:00Z', now)).toBe('was due 30 Nov 2026');
  });
});

describe(describeEvent.name, () => {
  it('names known events in words and shows a newer one as it is', () => {
    expect(describeEvent('recovery_code.used')).toBe('Recovery code used');
    expect(describeEvent('something.new')).toBe('something.new');
  });
});

describe(describePolicyChange.name, () => {
  it('says what a policy change changed, from what to what', () => {
    expect(
      describePolicyChange({
        requireTwoFactor: true,
        gracePeriodDays: 7,
        allowedSecondFactors: ['totp', 'webauthn'],
        before: { requireTwoFactor: false, gracePeriodDays: 14, allowedSecondFactors: ['totp'] },
      }),
    ).toBe(
      'Require 2FA: off → on; Grace period: 14 days → 7 days; Second factors allowed: authenticator app → authenticator app and passkey',
    );
    expect(describePolicyChange({ notifyNewDevice: false })).toBe('New-device e-mails: off');
  });
});

describe(cloudsYaml.name, () => {
  it('writes a v3applicationcredential entry with the Keystone-form id', () => {
    expect(
      cloudsYaml('https://id.example.com/identity/v3', '0b6f3c3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b', 's3cret'),
    ).toBe(
      [
        'clouds:',
        '  twofold:',
        '    auth_type: v3applicationcredential',
        '    auth:',
        '      auth_url: https://id.example.com/identity/v3',
        '      application_credential_id: 0b6f3c3e1c2d4e5f8a9b0c1d2e3f4a5b',
        '      application_credential_secret: s3cret',
        '',
      ].join('\n'),
    );
  });
});

describe(expiryOf.name, () => {
  it('says when a credential expires, or that it does not', () => {
    expect(expiryOf('2031-05-06T12:00:00.000Z')).toBe('expires 6 May 2031');
    expect(expiryOf(null)).toBe('never expires');
  });
});

describe('timeAgo', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  it.each([
    ['2026-12-01T11:59:30Z', 'just now'],
    ['2026-12-01T12:00:30Z', 'just now'],
    ['2026-12-01T11:59:00Z', '1 minute ago'],
    ['2026-12-01T11:15:00Z', '45 minutes ago'],
    ['2026-12-01T11:00:00Z', '1 hour ago'],
    ['2026-11-30T13:00:00Z', '23 hours ago'],
    ['2026-11-28T12:00:00Z', '3 days ago'],
  ])('%s is %s', (at, words) => {
    expect(timeAgo(at, now)).toBe(words);
  });
});

describe('describeVia', () => {
  it('names each way a session begins, and an unknown one as itself', () => {
    expect(['web', 'api', 'keystone', 'application_credential', 'later'].map(describeVia)).toEqual([
      'web',
      'API',
      'OpenStack (Keystone)',
      'application credential',
      'later',
    ]);
  });
});

describe('in German', () => {
  beforeAll(() => switchLanguage('de', false));
  afterAll(() => switchLanguage('en', false));

  it('says waits, ages, drifts and deadlines in German words, plurals and dates', () => {
    const now = new Date('2026-12-01T09:00:00Z');
    expect(formatWait(125)).toBe('2 Minuten, 5 Sekunden');
    expect(timeAgo('2026-11-28T09:00:00Z', now)).toBe('vor 3 Tagen');
    expect(driftInWords(-30)).toBe('30 Sekunden nach');
    expect(deadlineInWords('2026-12-02T10:00:00Z', now)).toBe('bis 2. Dez. 2026 (1 Tag übrig)');
    expect(friendlyError({ code: 'invalid_credentials', message: 'x' }, 'password')).toBe(
      'Das Passwort stimmt nicht.',
    );
    expect(describeEvent('recovery_code.used')).toBe('Wiederherstellungscode verwendet');
  });
});
