import { parseSecurityEvent } from './security-events';

const envelope = {
  eventId: '2b9f8a40-5d0c-4f4e-9a53-0d0c6f1b7a11',
  accountId: '7d7c5c0c-6a34-4b63-9d2e-3c3a0a7a5c01',
  actorId: null,
  subjectId: '0f0e7c55-9a4c-4e0f-8a6f-4c7b3a9c2d10',
  occurredAt: '2026-11-28T10:00:05.000Z',
  ip: null,
  userAgent: null,
  requestId: null,
};

describe(parseSecurityEvent.name, () => {
  it('takes an event whose details are those its type declares', () => {
    const event = parseSecurityEvent({ ...envelope, type: 'recovery_code.used', details: { remaining: 2 } });

    expect(event.type === 'recovery_code.used' && event.details.remaining).toBe(2);
  });

  it('refuses details of the wrong shape for the type, and unknown types', () => {
    expect(() =>
      parseSecurityEvent({ ...envelope, type: 'recovery_code.used', details: { remaining: 'two' } }),
    ).toThrow();
    expect(() =>
      parseSecurityEvent({ ...envelope, type: 'email.changed', details: { email: 'a@b.c' } }),
    ).toThrow();
    expect(() => parseSecurityEvent({ ...envelope, type: 'sign_in.teleported', details: {} })).toThrow();
  });

  it('keeps no detail its type does not declare (nothing undeclared reaches the audit log or a mail)', () => {
    const event = parseSecurityEvent({
      ...envelope,
      type: 'password.changed',
      details: { byAdmin: true, password: 'hunter2' },
    });

    expect(event.details).toEqual({ byAdmin: true });
  });
});
