import { isOpsOnly, type Role } from '@twofold/contracts';

export interface DeadlinePolicy {
  requireTwoFactor: boolean;
  gracePeriodDays: number;
  /** When requireTwoFactor was turned on. */
  requiredSince: Date | null;
}

export interface DeadlineMember {
  roles: readonly Role[];
  createdAt: Date;
  /** When an admin or the platform last reset the member's 2FA. */
  twoFactorResetAt: Date | null;
}

/**
 * When a member must have 2FA by under the account's policy, or null when none applies (the
 * policy is off, or the member is an exempt ops-only one). The grace period runs from when the
 * policy started, or from when the member joined if later; a 2FA reset while the policy holds
 * gives no new grace — the member is back on enrolment at once. Whether the member has 2FA is
 * not this function's business: a deadline only bites a member without it.
 */
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

export type ReminderKind = 'policy_started' | 'week_before' | 'day_before';

/**
 * The reminders of a deadline still to come: when the policy starts for the member (now), 7 days
 * and 1 day before the deadline — each only if it falls after now and before the deadline.
 */
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
