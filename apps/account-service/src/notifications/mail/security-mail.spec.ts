import { SECURITY_EVENT_TYPES, type SecurityEvent } from '@twofold/contracts';
import { securityMail } from './security-mail';

const event = (type: SecurityEvent['type'], details: SecurityEvent['details'] = {}): SecurityEvent => ({
  eventId: '2b9f8a40-5d0c-4f4e-9a53-0d0c6f1b7a11',
  type,
  accountId: '7d7c5c0c-6a34-4b63-9d2e-3c3a0a7a5c01',
  actorId: null,
  subjectId: '0f0e7c55-9a4c-4e0f-8a6f-4c7b3a9c2d10',
  occurredAt: '2026-11-28T10:00:05.000Z',
  ip: '198.51.100.7',
  userAgent: 'jest',
  requestId: 'req-1',
  details,
});
const context = { login: 'alice', accountName: 'Acme' };
/** The events that only go to the audit log; every other type is mailed to its member. */
const AUDIT_ONLY: readonly SecurityEvent['type'][] = [
  'account.created',
  'member.roles_changed',
  'policy.changed',
];
const MAILED = SECURITY_EVENT_TYPES.filter((type) => !AUDIT_ONLY.includes(type));

describe(securityMail.name, () => {
  it.each(MAILED)('writes a text and an HTML body for %s, saying when and from where', (type) => {
    const mail = securityMail(event(type, { remaining: 2 }), context)!;

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

  it.each(AUDIT_ONLY)('sends nothing for %s, which only goes to the audit log', (type) => {
    expect(securityMail(event(type), context)).toBeUndefined();
  });

  it('escapes what it puts into HTML', () => {
    const mail = securityMail(event('two_factor.enabled'), { login: '<b>x</b>', accountName: 'A&B' })!;

    expect(mail.html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(mail.html).toContain('A&amp;B');
    expect(mail.html).not.toContain('<b>x</b>');
  });
});
