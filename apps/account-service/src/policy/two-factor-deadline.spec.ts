import { daysLeft, passkeyDeadline, remindersOf, twoFactorDeadline } from './two-factor-deadline';

const DAY = 24 * 3600 * 1000;
const at = (iso: string) => new Date(iso);

describe(twoFactorDeadline.name, () => {
  const policy = { requireTwoFactor: true, gracePeriodDays: 14, requiredSince: at('2026-12-01T09:00:00Z') };
  const member = {
    roles: ['billing' as const],
    createdAt: at('2026-06-01T00:00:00Z'),
    twoFactorResetAt: null,
  };

  it('gives a member who was there when the policy started its grace from then', () => {
    expect(twoFactorDeadline(policy, member, DAY)).toEqual(at('2026-12-15T09:00:00Z'));
  });

  it('gives a member who joins later its grace from when it joined', () => {
    const later = { ...member, createdAt: at('2026-12-10T12:00:00Z') };

    expect(twoFactorDeadline(policy, later, DAY)).toEqual(at('2026-12-24T12:00:00Z'));
  });

  it('gives no grace with a grace period of 0: the deadline is the policy’s start', () => {
    expect(twoFactorDeadline({ ...policy, gracePeriodDays: 0 }, member, DAY)).toEqual(policy.requiredSince);
  });

  it('puts a member whose 2FA was reset under the policy straight back on enrolment', () => {
    const reset = { ...member, twoFactorResetAt: at('2026-12-03T10:00:00Z') };

    expect(twoFactorDeadline(policy, reset, DAY)).toEqual(at('2026-12-03T10:00:00Z'));
  });

  it('ignores a reset from before the policy started', () => {
    const reset = { ...member, twoFactorResetAt: at('2026-11-03T10:00:00Z') };

    expect(twoFactorDeadline(policy, reset, DAY)).toEqual(at('2026-12-15T09:00:00Z'));
  });

  it('sets no deadline when the policy is off, or for an ops-only member', () => {
    expect(twoFactorDeadline({ ...policy, requireTwoFactor: false }, member, DAY)).toBeNull();
    expect(twoFactorDeadline(policy, { ...member, roles: ['ops'] }, DAY)).toBeNull();
    expect(twoFactorDeadline(policy, { ...member, roles: ['ops', 'billing'] }, DAY)).not.toBeNull();
  });

  it('counts days of the configured length (shorter ones only for tests)', () => {
    expect(twoFactorDeadline(policy, member, 1000)).toEqual(at('2026-12-01T09:00:14Z'));
  });
});

describe(remindersOf.name, () => {
  const deadline = at('2026-12-31T09:00:00Z');

  it('reminds when the policy starts, a week before and a day before', () => {
    const now = at('2026-12-01T09:00:00Z');

    expect(remindersOf(deadline, now, DAY, true)).toEqual([
      { kind: 'policy_started', at: now },
      { kind: 'week_before', at: at('2026-12-24T09:00:00Z') },
      { kind: 'day_before', at: at('2026-12-30T09:00:00Z') },
    ]);
  });

  it('leaves out the reminders whose time has passed (a short grace period, a later change)', () => {
    expect(remindersOf(deadline, at('2026-12-27T00:00:00Z'), DAY, false)).toEqual([
      { kind: 'day_before', at: at('2026-12-30T09:00:00Z') },
    ]);
    expect(remindersOf(deadline, at('2026-12-31T08:00:00Z'), DAY, false)).toEqual([]);
  });
});

describe(daysLeft.name, () => {
  it('rounds up, and never goes below 0', () => {
    expect(daysLeft(at('2026-12-15T09:00:00Z'), at('2026-12-01T09:00:00Z'), DAY)).toBe(14);
    expect(daysLeft(at('2026-12-15T09:00:00Z'), at('2026-12-14T09:00:01Z'), DAY)).toBe(1);
    expect(daysLeft(at('2026-12-15T09:00:00Z'), at('2026-12-16T09:00:00Z'), DAY)).toBe(0);
  });
});

describe(passkeyDeadline.name, () => {
  const day = 24 * 3600 * 1000;
  const since = new Date('2026-12-01T00:00:00Z');
  const policy = {
    gracePeriodDays: 7,
    phishingResistantFor: ['owner', 'admin'] as ('owner' | 'admin')[],
    allowedSecondFactors: ['totp', 'webauthn'] as ('totp' | 'webauthn')[],
    since,
  };

  it('gives a named member the grace period from the rule, or from joining after it', () => {
    expect(passkeyDeadline(policy, { roles: ['admin'], createdAt: new Date('2026-01-01') }, day)).toEqual(
      new Date('2026-12-08T00:00:00Z'),
    );
    expect(
      passkeyDeadline(policy, { roles: ['owner'], createdAt: new Date('2026-12-05T00:00:00Z') }, day),
    ).toEqual(new Date('2026-12-12T00:00:00Z'));
  });

  it('asks nothing of other roles, without the rule, or where passkeys are not allowed', () => {
    const member = { roles: ['billing' as const], createdAt: new Date('2026-01-01') };
    expect(passkeyDeadline(policy, member, day)).toBeNull();
    expect(passkeyDeadline({ ...policy, since: null }, { ...member, roles: ['admin'] }, day)).toBeNull();
    expect(
      passkeyDeadline({ ...policy, allowedSecondFactors: ['totp'] }, { ...member, roles: ['admin'] }, day),
    ).toBeNull();
  });
});
