import { z } from 'zod';

/** The durable BullMQ queue of security events. Never rename: producers and workers meet here. */
export const SECURITY_EVENTS_QUEUE = 'security-events';
/** The one job name on that queue. */
export const SECURITY_EVENT_JOB = 'security-event';

export const SECURITY_EVENT_TYPES = [
  'account.created',
  'member.added',
  'member.removed',
  'member.roles_changed',
  'password.changed',
  'two_factor.enabled',
  'two_factor.disabled',
  'two_factor.reset',
  'two_factor.locked',
  'two_factor.unlocked',
  'sign_in.locked',
  'sign_in.unlocked',
  'recovery_code.used',
  'recovery_codes.low',
  'recovery_codes.regenerated',
  'application_credential.created',
  'application_credential.deleted',
  'policy.changed',
  /** A member's sessions were ended: by the member (everywhere else) or by an owner or admin. */
  'sessions.ended',
  /** A code already accepted for the member was presented again by another sign-in: a relayed (phished) code. */
  'second_factor.replay_detected',
  /** Someone asked for a password reset link for the member (e-mailed with the link, never logged). */
  'password_reset.requested',
  /** The member's password was reset with an e-mailed link: every session and sign-in in flight ended. */
  'password_reset.completed',
  /**
   * The member reported a security e-mail as "this wasn't me": signed out everywhere, application
   * credentials deleted, password sign-in stopped until a reset; the account's owners and admins are told.
   */
  'security.not_me_reported',
  /** A sign-in from a device (browser, or user agent and network for API clients) the member had not used. */
  'sign_in.new_device',
  /** The member ended one of its sessions from the sessions list (audit only). */
  'session.ended',
  /** An owner or admin e-mailed the member a link to realign its authenticator. */
  'two_factor.resync_requested',
  /** The member's authenticator was realigned to its phone's clock (a resync). */
  'two_factor.resynced',
  /** The member replaced its authenticator: the old one and its recovery codes stopped working. */
  'two_factor.replaced',
  /** A reminder that the account requires 2FA by a deadline: when the policy starts, 7 days and 1 day before. */
  'two_factor.reminder',
  /**
   * An owner or admin invited a member (not ops-only): the e-mail carries the link on whose page it
   * chooses its own password. Sent again when re-sent.
   */
  'member.invited',
  /** The invited member chose its password from its invitation (audit only). */
  'member.joined',
  /** An owner or admin withdrew an invitation not yet accepted: the member is gone (audit only). */
  'member.invitation_withdrawn',
  /** The member proved its address by the link e-mailed to it (audit only). */
  'email.verified',
  /** The member asked to change its address: the new one is sent a link to confirm it (details.email). */
  'email.change_requested',
  /**
   * The member's address changed, once the new one was confirmed: the old one is told
   * (details.email), with a "this wasn't me" link that changes it back.
   */
  'email.changed',
] as const;
export const securityEventTypeSchema = z.enum(SECURITY_EVENT_TYPES);
export type SecurityEventType = z.infer<typeof securityEventTypeSchema>;

/**
 * A security fact, emitted by the service that made the change. `eventId` makes consumers
 * idempotent: a retried or duplicated job is recognised by it. `details` never holds a secret.
 */
export const securityEventSchema = z.object({
  eventId: z.uuid(),
  type: securityEventTypeSchema,
  accountId: z.uuid(),
  actorId: z.uuid().nullable(),
  subjectId: z.uuid().nullable(),
  occurredAt: z.iso.datetime(),
  ip: z.string().max(64).nullable(),
  userAgent: z.string().max(512).nullable(),
  requestId: z.string().max(128).nullable(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type SecurityEvent = z.infer<typeof securityEventSchema>;

/**
 * The durable BullMQ queue of 2FA reminders, delayed until they are due. Never rename:
 * account-service schedules and sends them.
 */
export const TWO_FACTOR_REMINDERS_QUEUE = 'two-factor-reminders';
export const TWO_FACTOR_REMINDER_JOB = 'two-factor-reminder';

export const twoFactorReminderSchema = z.object({
  memberId: z.uuid(),
  accountId: z.uuid(),
  kind: z.enum(['policy_started', 'week_before', 'day_before']),
  /** The deadline it reminds of (ms): a reminder of a deadline that has since moved is not sent. */
  deadline: z.number().int(),
});
export type TwoFactorReminder = z.infer<typeof twoFactorReminderSchema>;
