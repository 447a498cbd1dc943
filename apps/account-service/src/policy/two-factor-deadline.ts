import { type AccountPolicy, isOpsOnly, type Role } from '@twofold/contracts';

export interface DeadlinePolicy {
  requireTwoFactor: boolean;
  gracePeriodDays: number;
  requiredSince: Date | null;
}

export interface DeadlineMember {
  roles: readonly Role[];
  createdAt: Date;
  twoFactorResetAt: Date | null;
}

/** Null when no policy applies; a 2FA reset while the policy holds gives no new grace. */
export function twoFactorDeadline(
  policy: DeadlinePolicy,
  member: DeadlineMember,
  dayMs: number,
): Date | null {
  if (!policy.requireTwoFactor || isOpsOnly(member.roles)) return null;
  const since = policy.requiredSince ?? member.createdAt;
  const start = Math.max(since.getTime(), member.createdAt.getTime());
  const withGrace = start + policy.gracePeriodDays * dayMs;
  const reset = member.twoFactorResetAt?.getTime();
  return new Date(reset !== undefined && reset >= since.getTime() ? Math.min(withGrace, reset) : withGrace);
}

/** Null unless the policy asks one of the member's roles for a passkey; the grace runs from the rule or the member. */
export function passkeyDeadline(
  policy: Pick<AccountPolicy, 'gracePeriodDays' | 'phishingResistantFor' | 'allowedSecondFactors'> & {
    since: Date | null;
  },
  member: Pick<DeadlineMember, 'roles' | 'createdAt'>,
  dayMs: number,
): Date | null {
  const named = member.roles.some((role) => (policy.phishingResistantFor as readonly Role[]).includes(role));
  if (!policy.since || !named || !policy.allowedSecondFactors.includes('webauthn')) return null;
  return new Date(
    Math.max(policy.since.getTime(), member.createdAt.getTime()) + policy.gracePeriodDays * dayMs,
  );
}

export type ReminderKind = 'policy_started' | 'week_before' | 'day_before';

export function remindersOf(
  deadline: Date,
  now: Date,
  dayMs: number,
  started: boolean,
): { kind: ReminderKind; at: Date }[] {
  const due: { kind: ReminderKind; at: Date }[] = started ? [{ kind: 'policy_started', at: now }] : [];
  for (const [kind, days] of [
    ['week_before', 7],
    ['day_before', 1],
  ] as const) {
    const at = new Date(deadline.getTime() - days * dayMs);
    if (at.getTime() > now.getTime()) due.push({ kind, at });
  }
  return due;
}

/** Whole days left until a deadline, rounded up ("1 day left" until the last moment). */
export const daysLeft = (deadline: Date, now: Date, dayMs: number): number =>
  Math.max(0, Math.ceil((deadline.getTime() - now.getTime()) / dayMs));
