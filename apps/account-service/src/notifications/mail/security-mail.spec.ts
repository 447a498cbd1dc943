import {
  parseSecurityEvent,
  SECURITY_EVENT_TYPES,
  type SecurityEvent,
  type SecurityEventDetails,
  type SecurityEventType,
} from '@twofold/contracts';
import { catalogProblems } from '@twofold/i18n';
import { mailMessages } from './messages';
import { type MailContext, MAIL_LINK, securityMail } from './security-mail';

const credential = { credentialId: '5a1c0b7e-3f2d-4c8a-9e6b-1d2c3b4a5f60', name: 'ci', roles: 'ops' };
/** Details each event type may carry, as its declaration has them. */
const EXAMPLE: { [T in SecurityEventType]: SecurityEventDetails<T> } = {
  'account.created': { accountName: 'Acme', login: 'alice' },
  'member.added': { login: 'alice', roles: 'admin' },
  'member.removed': { login: 'alice', email: 'alice@example.com', accountName: 'Acme' },
  'member.roles_changed': { from: 'admin', to: 'ops' },
  'password.changed': {},
  'two_factor.enabled': {},
  'two_factor.disabled': {},
  'two_factor.reset': {},
  'two_factor.locked': { failures: 5 },
  'two_factor.unlocked': { byOperator: true },
  'sign_in.locked': { failures: 10 },
  'sign_in.unlocked': {},
  'recovery_code.used': { remaining: 2 },
  'recovery_codes.low': { remaining: 2 },
  'recovery_codes.regenerated': { count: 4 },
  'recovery_codes.checked': { valid: true },
  'application_credential.created': credential,
  'application_credential.deleted': credential,
  'policy.changed': { requireTwoFactor: true },
  'sessions.ended': { everywhereElse: true },
  'second_factor.replay_detected': { acceptedFrom: '198.51.100.7', replayedFrom: '203.0.113.9' },
  'second_factor.succeeded': { method: 'totp' },
  'second_factor.failed': { failures: 7, from: '2026-12-07T10:00:00.000Z', to: '2026-12-07T10:01:00.000Z' },
  'password_reset.requested': {},
  'password_reset.completed': { linkEventId: '2b9f8a40-5d0c-4f4e-9a53-0d0c6f1b7a12' },
  'security.not_me_reported': {
    reportedEventId: '2b9f8a40-5d0c-4f4e-9a53-0d0c6f1b7a13',
    reportedEventType: 'sign_in.new_device',
    applicationCredentialsDeleted: 1,
    twoFactorRemoved: false,
    emailReverted: false,
  },
  'sign_in.new_device': { device: 'Firefox on Linux', via: 'web' },
  'session.ended': { sessionId: 's-1', device: 'Firefox on Linux' },
  'two_factor.resync_requested': {},
  'two_factor.resynced': { driftSeconds: 90 },
  'two_factor.replaced': {},
  'passkey.added': {
    passkeyId: '2b9f8a40-5d0c-4f4e-9a53-0d0c6f1b7a14',
    name: 'Laptop',
    twoFactorEnabled: true,
  },
  'passkey.removed': { passkeyId: '2b9f8a40-5d0c-4f4e-9a53-0d0c6f1b7a14', name: 'Laptop' },
  'passkey.clone_detected': { passkeyId: '2b9f8a40-5d0c-4f4e-9a53-0d0c6f1b7a14', name: 'Laptop' },
  'two_factor.reminder': { kind: 'week_before', deadline: '2026-12-05T10:00:05.000Z', daysLeft: 7 },
  'member.invited': { login: 'alice', roles: 'admin' },
  'member.joined': { login: 'alice' },
  'member.invitation_withdrawn': { login: 'alice', email: 'alice@example.com' },
  'email.verified': { address: 'alice@example.com' },
  'email.change_requested': { email: 'new@example.com' },
  'email.changed': { email: 'alice@example.com', from: 'alice@example.com', to: 'new@example.com' },
};

/** An event as the queue hands it over: parsed by its declaration. */
const event = <T extends SecurityEventType>(
  type: T,
  details: Partial<SecurityEventDetails<T>> = {},
): SecurityEvent =>
  parseSecurityEvent({
    eventId: '2b9f8a40-5d0c-4f4e-9a53-0d0c6f1b7a11',
    type,
    accountId: '7d7c5c0c-6a34-4b63-9d2e-3c3a0a7a5c01',
    actorId: null,
    subjectId: '0f0e7c55-9a4c-4e0f-8a6f-4c7b3a9c2d10',
    occurredAt: '2026-11-28T10:00:05.000Z',
    ip: '198.51.100.7',
    userAgent: 'jest',
    requestId: 'req-1',
    details: { ...EXAMPLE[type], ...details },
  });
const context: MailContext = { login: 'alice', accountName: 'Acme', language: 'en' };
const german: MailContext = { ...context, language: 'de' };
/** The events that only go to the audit log; every other type is mailed to its member. */
const AUDIT_ONLY: readonly SecurityEventType[] = [
  'email.verified',
  'member.joined',
  'member.invitation_withdrawn',
  'member.roles_changed',
  'policy.changed',
  'session.ended',
  'second_factor.succeeded',
  'second_factor.failed',
  'recovery_codes.checked',
];
const MAILED = SECURITY_EVENT_TYPES.filter((type) => !AUDIT_ONLY.includes(type));

describe(securityMail.name, () => {
  it.each(MAILED)('writes a text and an HTML body for %s, saying when and from where', (type) => {
    const mail = securityMail(event(type), context)!;

    expect(mail.subject).toMatch(/^\[Twofold\] /);
    expect(mail.text).toContain('Hello alice,');
    expect(mail.text).toContain('2026-11-28 10:00:05 UTC from 198.51.100.7');
    expect(mail.html).toContain('<p>Hello alice,</p>');
  });

  it('tells how many recovery codes are left', () => {
    expect(securityMail(event('recovery_code.used', { remaining: 3 }), context)?.text).toContain(
      'You have 3 recovery codes left.',
    );
    expect(securityMail(event('recovery_codes.low', { remaining: 1 }), context)?.text).toContain(
      'You have 1 recovery code left.',
    );
  });

  it('words a deadline in UTC, in the ISO order English e-mails have always had', () => {
    expect(securityMail(event('two_factor.reminder'), context)?.text).toContain(
      'Turn it on by 2026-12-05 10:00 UTC (7 days left)',
    );
  });

  it.each(AUDIT_ONLY)('sends nothing for %s, which only goes to the audit log', (type) => {
    expect(securityMail(event(type), context)).toBeUndefined();
  });

  it('asks a new account to confirm its address, with the link that does', () => {
    const link = {
      url: 'https://id.example.com/#/verify-email?token=abcDEF123_-xyz0000000',
      validMinutes: 10080,
    };
    const mail = securityMail(event('account.created'), { ...context, link })!;

    expect(mail.subject).toBe('[Twofold] Confirm your address');
    expect(mail.text).toContain(`Confirm it within 7 days (the link works once): ${link.url}`);
    expect(MAIL_LINK['account.created']).toBe('email_verification');
  });

  describe('links', () => {
    const notMe = { url: 'https://id.example.com/#/not-me?token=abcDEF123_-xyz0000000', validMinutes: 10080 };
    const reset = {
      url: 'https://id.example.com/#/password-reset?token=resetTOKEN_0123456789',
      validMinutes: 30,
    };
    const withNotMe = MAILED.filter((type) => MAIL_LINK[type] === 'not_me');

    it.each(withNotMe)('%s offers "this wasn\'t me" as a link in the text and the HTML', (type) => {
      const mail = securityMail(event(type), { ...context, link: notMe })!;

      expect(mail.text).toContain(`If this was not you, open this link`);
      expect(mail.text).toContain(notMe.url);
      expect(mail.text).toContain('7 days');
      expect(mail.html).toContain(`<a href="${notMe.url}">`);
    });

    it('sends the reset link with its lifetime, and no "this wasn\'t me" (ignoring it is the answer)', () => {
      const mail = securityMail(event('password_reset.requested'), { ...context, link: reset })!;

      expect(mail.subject).toBe('[Twofold] Choose a new password');
      expect(mail.text).toContain(`within 30 minutes (it works once): ${reset.url}`);
      expect(mail.text).toContain('If you did not ask for this, ignore this e-mail');
      expect(mail.text).not.toContain('If this was not you');
      expect(mail.html).toContain(`<a href="${reset.url}">`);
    });

    it('never puts the member’s link in a copy to the account’s owner or admins', () => {
      const copy = securityMail(event('two_factor.reset', { byOperator: true }), {
        ...context,
        link: notMe,
        copyTo: 'olivia',
      })!;

      expect(copy.text).toContain('Hello olivia,');
      expect(copy.text).toContain('A copy of a security e-mail to alice');
      expect(copy.text).not.toContain(notMe.url);
      expect(copy.html).not.toContain('not-me');
    });

    it('tells the owner and admins in their own words that a member reported "this wasn\'t me"', () => {
      const told = securityMail(
        event('security.not_me_reported', { reportedEventType: 'sign_in.new_device' }),
        { ...context, copyTo: 'olivia' },
      )!;

      expect(told.subject).toBe('[Twofold] alice reported suspicious activity');
      expect(told.text).toContain(
        'alice, a member of your account, reported a security e-mail (sign_in.new_device)',
      );
    });

    it('names the device and the way in of a sign-in from a new device', () => {
      const mail = securityMail(event('sign_in.new_device', { device: 'Firefox on Linux', via: 'web' }), {
        ...context,
        link: notMe,
      })!;

      expect(mail.text).toContain('Firefox on Linux (the web app)');
    });
  });

  it('escapes what it puts into HTML', () => {
    const mail = securityMail(event('two_factor.enabled'), {
      login: '<b>x</b>',
      accountName: 'A&B',
      language: 'en',
    })!;

    expect(mail.html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(mail.html).toContain('A&amp;B');
    expect(mail.html).not.toContain('<b>x</b>');
  });

  describe('in German', () => {
    const notMe = { url: 'https://id.example.com/#/not-me?token=abcDEF123_-xyz0000000', validMinutes: 10080 };

    it('has every message of the English catalog, with the same arguments', () => {
      expect(catalogProblems(mailMessages)).toEqual([]);
    });

    it.each(MAILED)('writes %s in German, with the date in German and UTC', (type) => {
      const mail = securityMail(event(type), german)!;
      const english = securityMail(event(type), context)!;

      expect(mail.subject).toMatch(/^\[Twofold\] /);
      expect(mail.subject).not.toBe(english.subject);
      expect(mail.text).toContain('Guten Tag alice,');
      expect(mail.text).toContain(
        'Zeitpunkt: 28. November 2026 um 10:00:05 UTC, von der IP-Adresse 198.51.100.7',
      );
      expect(mail.html).toContain('<p>Guten Tag alice,</p>');
    });

    it('offers "Das war ich nicht" with the link in the text and the HTML', () => {
      const mail = securityMail(event('password.changed'), { ...german, link: notMe })!;

      expect(mail.subject).toBe('[Twofold] Ihr Passwort wurde geändert');
      expect(mail.text).toContain('Das Passwort Ihres Zugangs wurde geändert');
      expect(mail.text).toContain(`(„Das war ich nicht“)`);
      expect(mail.text).toContain(`(er gilt 7 Tage): ${notMe.url}`);
      expect(mail.html).toContain(`<a href="${notMe.url}">`);
    });

    it('counts in German, and words a deadline by its German date', () => {
      expect(securityMail(event('recovery_code.used', { remaining: 1 }), german)?.text).toContain(
        'Sie haben noch 1 Wiederherstellungscode.',
      );
      const reminder = securityMail(event('two_factor.reminder'), german)!;
      expect(reminder.subject).toBe(
        '[Twofold] Noch 7 Tage, um die Zwei-Faktor-Authentifizierung zu aktivieren',
      );
      expect(reminder.text).toContain('bis 5. Dezember 2026 um 10:00 UTC (noch 7 Tage)');
    });

    it('writes the copy to an owner in the owner’s language', () => {
      const copy = securityMail(event('two_factor.reset', { byOperator: true }), {
        ...german,
        copyTo: 'olivia',
      })!;

      expect(copy.text).toContain('Guten Tag olivia,');
      expect(copy.text).toContain('Eine Kopie einer Sicherheits-E-Mail an alice');
    });
  });
});
