import { z } from 'zod';
import { accountPolicySchema } from './account';
import { languageSchema } from './language';
import { secondFactorMethodSchema } from './otp';
import { defineRpc } from './rpc';

/** Never rename: producers and workers meet here. */
export const SECURITY_EVENTS_QUEUE = 'security-events';
export const SECURITY_EVENT_JOB = 'security-event';

const flag = z.literal(true).optional();
const count = z.number().int().nonnegative();
const noDetails = z.object({});
const byAdminOrOperator = z.object({ byAdmin: flag, byOperator: flag });
const credentialsEnded = { applicationCredentialsEnded: count.optional() };
const credential = z.object({ credentialId: z.uuid(), name: z.string(), roles: z.string() });
const rolesChange = z.object({ from: z.string(), to: z.string() });

interface EventDeclaration {
  /** Never a secret. */
  details: z.ZodObject;
  /** Someone waits for its e-mail: it jumps the queue, so a flood of alerts cannot hold it back. */
  awaited?: true;
}

export const SECURITY_EVENTS = {
  'account.created': { details: z.object({ accountName: z.string(), login: z.string() }) },
  'member.added': { details: z.object({ login: z.string(), roles: z.string() }) },
  /** The member row is gone: the event carries the address its e-mail goes to, and its language. */
  'member.removed': {
    details: z.object({
      login: z.string(),
      email: z.string(),
      accountName: z.string(),
      language: languageSchema.optional(),
    }),
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
  /** Audit only: the member tried one without using it up. */
  'recovery_codes.checked': { details: z.object({ valid: z.boolean() }) },
  'application_credential.created': { details: credential },
  'application_credential.deleted': { details: credential },
  /** The changed settings' new values, and under `before` their old ones. */
  'policy.changed': {
    details: accountPolicySchema.partial().extend({ before: accountPolicySchema.partial().optional() }),
  },
  'sessions.ended': { details: z.object({ byAdmin: flag, everywhereElse: flag, ...credentialsEnded }) },
  /** An accepted code presented again by another sign-in: a relayed (phished) code. */
  'second_factor.replay_detected': {
    details: z.object({ acceptedFrom: z.string(), replayedFrom: z.string() }),
  },
  /** Audit only, like its summary of failures below (a brute force costs one entry a minute). */
  'second_factor.succeeded': { details: z.object({ method: secondFactorMethodSchema }) },
  'second_factor.failed': {
    details: z.object({ failures: count, from: z.iso.datetime(), to: z.iso.datetime() }),
  },
  /** The link is e-mailed with the event, never logged. */
  'password_reset.requested': { details: z.object({ byAdmin: flag }), awaited: true },
  'password_reset.completed': { details: z.object({ linkEventId: z.uuid(), ...credentialsEnded }) },
  'security.not_me_reported': {
    details: z.object({
      reportedEventId: z.uuid(),
      reportedEventType: z.string().nullable(),
      applicationCredentialsDeleted: count,
      twoFactorRemoved: z.boolean(),
      emailReverted: z.boolean(),
    }),
  },
  'sign_in.new_device': { details: z.object({ device: z.string(), via: z.string() }) },
  'session.ended': { details: z.object({ sessionId: z.string(), device: z.string() }) },
  'two_factor.resync_requested': { details: noDetails, awaited: true },
  'two_factor.resynced': { details: z.object({ driftSeconds: z.number().int() }) },
  'two_factor.replaced': { details: noDetails },
  /** `twoFactorEnabled`: the member's first second factor, so 2FA is on from now. */
  'passkey.added': { details: z.object({ passkeyId: z.uuid(), name: z.string(), twoFactorEnabled: flag }) },
  'passkey.removed': { details: z.object({ passkeyId: z.uuid(), name: z.string(), byNotMe: flag }) },
  /** Its signature counter went back: two authenticators hold one key. */
  'passkey.clone_detected': { details: z.object({ passkeyId: z.uuid(), name: z.string() }) },
  'two_factor.reminder': {
    details: z.object({
      kind: z.enum(['policy_started', 'week_before', 'day_before']),
      deadline: z.iso.datetime(),
      daysLeft: count,
    }),
  },
  'member.invited': {
    details: z.object({ login: z.string().optional(), roles: z.string().optional(), resent: flag }),
  },
  'member.joined': { details: z.object({ login: z.string() }) },
  'member.invitation_withdrawn': { details: z.object({ login: z.string(), email: z.string() }) },
  'email.verified': { details: z.object({ address: z.string() }) },
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

/** `eventId` makes consumers idempotent: a retried or duplicated job is recognised by it. */
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

export const parseSecurityEvent = (data: unknown): SecurityEvent =>
  securityEventSchema.parse(data) as SecurityEvent;

/** Events only audited, too frequent for the outbox and the queue: written in batches (AuditRpc). */

const auditOnlyEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...envelope,
    type: z.literal('second_factor.succeeded'),
    details: SECURITY_EVENTS['second_factor.succeeded'].details,
  }),
  z.object({
    ...envelope,
    type: z.literal('second_factor.failed'),
    details: SECURITY_EVENTS['second_factor.failed'].details,
  }),
]);
export type AuditOnlyEvent = z.infer<typeof auditOnlyEventSchema>;

export const AuditRpc = {
  /** Idempotent by event id: a batch sent again after a lost answer adds nothing. */
  record: defineRpc(
    'account.v1.audit.record',
    z.object({ events: z.array(auditOnlyEventSchema).max(1000) }).strict(),
    z.object({ recorded: count }),
  ),
};

/** Never rename: account-service schedules and sends them. */
export const TWO_FACTOR_REMINDERS_QUEUE = 'two-factor-reminders';
export const TWO_FACTOR_REMINDER_JOB = 'two-factor-reminder';

export const twoFactorReminderSchema = z.object({
  memberId: z.uuid(),
  accountId: z.uuid(),
  kind: z.enum(['policy_started', 'week_before', 'day_before']),
  /** In ms: a reminder of a deadline that has since moved is not sent. */
  deadline: z.number().int(),
});
export type TwoFactorReminder = z.infer<typeof twoFactorReminderSchema>;
