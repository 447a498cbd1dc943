import { z } from 'zod';
import { accountPolicySchema } from './account';

/** The durable BullMQ queue of security events. Never rename: producers and workers meet here. */
export const SECURITY_EVENTS_QUEUE = 'security-events';
/** The one job name on that queue. */
export const SECURITY_EVENT_JOB = 'security-event';

const flag = z.literal(true).optional();
const count = z.number().int().nonnegative();
const noDetails = z.object({});
/** An admin's or the platform operator's doing, not the member's own. */
const byAdminOrOperator = z.object({ byAdmin: flag, byOperator: flag });
/** How many application credentials a change ended (absent: none). */
const credentialsEnded = { applicationCredentialsEnded: count.optional() };
const credential = z.object({ credentialId: z.uuid(), name: z.string(), roles: z.string() });
const rolesChange = z.object({ from: z.string(), to: z.string() });

interface EventDeclaration {
  /** What the event records beside who, whom and when; never a secret. */
  details: z.ZodObject;
  /**
   * Someone waits for its e-mail (a link to act on): it goes before the rest of the queue, so a
   * flood of alerts (an attacker replaying codes) cannot hold it back.
   */
  awaited?: true;
}

/**
 * Every security event, declared once: its details, parsed where it is emitted and where it is
 * read, and what its delivery needs. E-mail wording and links live with the notifications.
 */
export const SECURITY_EVENTS = {
  'account.created': { details: z.object({ accountName: z.string(), login: z.string() }) },
  'member.added': { details: z.object({ login: z.string(), roles: z.string() }) },
  /** The member row is gone: the event carries the address its e-mail goes to. */
  'member.removed': {
    details: z.object({ login: z.string(), email: z.string(), accountName: z.string() }),
  },
  'member.roles_changed': { details: rolesChange },
  'password.changed': { details: z.object({ byAdmin: flag, ...credentialsEnded }) },
  'two_factor.enabled': { details: noDetails },
  'two_factor.disabled': { details: noDetails },
  'two_factor.reset': { details: byAdminOrOperator },
  'two_factor.locked': { details: z.object({ failures: count }) },
  'two_factor.unlocked': { details: byAdminOrOperator },
  'sign_in.locked': { details: z.object({ failures: count.optional() }) },
  'sign_in.unlocked': { details: z.object({ byAdmin: flag, byOperator: flag, byPasswordReset: flag }) },
  'recovery_code.used': { details: z.object({ remaining: count }) },
  'recovery_codes.low': { details: z.object({ remaining: count }) },
  'recovery_codes.regenerated': { details: z.object({ count }) },
  'application_credential.created': { details: credential },
  'application_credential.deleted': { details: credential },
  /** The policy's fields that changed, with their new values. */
  'policy.changed': { details: accountPolicySchema.partial() },
  /** A member's sessions were ended: by the member (everywhere else) or by an owner or admin. */
  'sessions.ended': { details: z.object({ byAdmin: flag, everywhereElse: flag, ...credentialsEnded }) },
  /** A code already accepted for the member was presented again by another sign-in: a relayed (phished) code. */
  'second_factor.replay_detected': {
    details: z.object({ acceptedFrom: z.string(), replayedFrom: z.string() }),
  },
  /** Someone asked for a password reset link for the member (e-mailed with the link, never logged). */
  'password_reset.requested': { details: z.object({ byAdmin: flag }), awaited: true },
  /** The member's password was reset with an e-mailed link: every session and sign-in in flight ended. */
  'password_reset.completed': { details: z.object({ linkEventId: z.uuid(), ...credentialsEnded }) },
  /**
   * The member reported a security e-mail as "this wasn't me": signed out everywhere, application
   * credentials deleted, password sign-in stopped until a reset; the account's owners and admins are told.
   */
  'security.not_me_reported': {
    details: z.object({
      reportedEventId: z.uuid(),
      reportedEventType: z.string().nullable(),
      applicationCredentialsDeleted: count,
      twoFactorRemoved: z.boolean(),
      emailReverted: z.boolean(),
    }),
  },
  /** A sign-in from a device (browser, or user agent and network for API clients) the member had not used. */
  'sign_in.new_device': { details: z.object({ device: z.string(), via: z.string() }) },
  /** The member ended one of its sessions from the sessions list (audit only). */
  'session.ended': { details: z.object({ sessionId: z.string(), device: z.string() }) },
  /** An owner or admin e-mailed the member a link to realign its authenticator. */
  'two_factor.resync_requested': { details: noDetails, awaited: true },
  /** The member's authenticator was realigned to its phone's clock (a resync). */
  'two_factor.resynced': { details: z.object({ driftSeconds: z.number().int() }) },
  /** The member replaced its authenticator: the old one and its recovery codes stopped working. */
  'two_factor.replaced': { details: noDetails },
  /** A reminder that the account requires 2FA by a deadline: when the policy starts, 7 days and 1 day before. */
  'two_factor.reminder': {
    details: z.object({
      kind: z.enum(['policy_started', 'week_before', 'day_before']),
      deadline: z.iso.datetime(),
      daysLeft: count,
    }),
  },
  /** An invitation (re-)sent: its e-mail carries the link on whose page the member chooses its password. */
  'member.invited': {
    details: z.object({ login: z.string().optional(), roles: z.string().optional(), resent: flag }),
  },
  'member.joined': { details: z.object({ login: z.string() }) },
  /** The invited member is gone with its invitation. */
  'member.invitation_withdrawn': { details: z.object({ login: z.string(), email: z.string() }) },
  'email.verified': { details: z.object({ address: z.string() }) },
  /** The e-mail goes to the new address, to prove it. */
  'email.change_requested': { details: z.object({ email: z.string() }) },
  /** Told to the old address (`email`), with a "this wasn't me" link that changes it back. */
  'email.changed': { details: z.object({ email: z.string(), from: z.string(), to: z.string() }) },
} as const satisfies Record<string, EventDeclaration>;

export type SecurityEventType = keyof typeof SECURITY_EVENTS;
export const SECURITY_EVENT_TYPES = Object.keys(SECURITY_EVENTS) as [
  SecurityEventType,
  ...SecurityEventType[],
];
export const securityEventTypeSchema = z.enum(SECURITY_EVENT_TYPES);
export type SecurityEventDetails<T extends SecurityEventType> = z.infer<
  (typeof SECURITY_EVENTS)[T]['details']
>;

/** Whether someone waits for the event's e-mail (see EventDeclaration.awaited). */
export const isAwaited = (type: SecurityEventType): boolean =>
  (SECURITY_EVENTS[type] as EventDeclaration).awaited === true;

const envelope = {
  eventId: z.uuid(),
  accountId: z.uuid(),
  actorId: z.uuid().nullable(),
  subjectId: z.uuid().nullable(),
  occurredAt: z.iso.datetime(),
  ip: z.string().max(64).nullable(),
  userAgent: z.string().max(512).nullable(),
  requestId: z.string().max(128).nullable(),
};

/**
 * A security fact, emitted by the service that made the change. `eventId` makes consumers
 * idempotent: a retried or duplicated job is recognised by it.
 */
export type SecurityEventOf<T extends SecurityEventType> = z.infer<z.ZodObject<typeof envelope>> & {
  type: T;
  details: SecurityEventDetails<T>;
};
export type SecurityEvent = { [T in SecurityEventType]: SecurityEventOf<T> }[SecurityEventType];

const securityEventSchema = z.discriminatedUnion(
  'type',
  SECURITY_EVENT_TYPES.map((type) =>
    z.object({ ...envelope, type: z.literal(type), details: SECURITY_EVENTS[type].details }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
);

/** An event as its type declares it (details included), or a ZodError. */
export const parseSecurityEvent = (data: unknown): SecurityEvent =>
  securityEventSchema.parse(data) as SecurityEvent;

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
