import { z } from 'zod';

/**
 * Stable error codes. They cross process boundaries (NATS replies) and reach clients in the
 * HTTP error body, so a code is never renamed or reused for another meaning.
 */
export const ERROR_CODES = [
  /** The request does not match its schema. */
  'validation_failed',
  /** Login or password is wrong; deliberately does not say which. */
  'invalid_credentials',
  /** No valid session token was presented. */
  'unauthenticated',
  /** The caller is authenticated but not allowed to do this. */
  'forbidden',
  'not_found',
  'account_name_taken',
  'login_taken',
  /** The member already has an application credential of this name. */
  'application_credential_name_taken',
  /** The one-time code (or recovery code) is wrong. */
  'invalid_code',
  /** The code was right but its time step was already used: wait for the next code. */
  'code_already_used',
  /** Too many wrong codes in a row: wait `retryAfterSeconds` before the next try. */
  'too_many_attempts',
  /** The second factor is locked after repeated failures: a recovery code or an admin reset unlocks it. */
  'second_factor_locked',
  /** Too many wrong passwords in a row for this login: an admin sets a new password to unlock it. */
  'sign_in_locked',
  /** A team route named the caller's own member: their own settings are under /api/v1/me. */
  'use_me_route',
  /** The MFA token (or Keystone receipt) is unknown, used or expired: sign in with the password again. */
  'mfa_token_invalid',
  /** The account requires 2FA and this member has none yet: only enrolment is open. */
  'two_factor_required',
  /** The action needs a session completed with the second factor. */
  'second_factor_session_required',
  /**
   * A sensitive change needs the second factor (or, without 2FA, the password) proven on this
   * session within `maxAgeSeconds`: POST /api/v1/auth/step-up, then try again.
   */
  'step_up_required',
  'two_factor_not_enabled',
  'two_factor_already_enabled',
  /**
   * The account requires 2FA of this member: it cannot be turned off (replace the authenticator
   * instead; an admin can still reset it).
   */
  'two_factor_required_by_policy',
  /** No pending enrolment, or it expired: start again. */
  'enrollment_not_found',
  /** An e-mailed link (password reset, "this wasn't me") is unknown, used or expired: ask for a new one. */
  'link_invalid',
  /**
   * The member has 2FA: a password reset needs a code from the authenticator app (or a recovery
   * code) in the same request, so that a mailbox alone cannot take the account.
   */
  'second_factor_required',
  /**
   * The password was right, but password sign-in is stopped ("this wasn't me" was reported):
   * choose a new password with the forgot-password link first.
   */
  'password_reset_required',
  /**
   * The application credential's secret was right, but it was made without a second factor and
   * its member has turned 2FA on since: the member confirms it (or deletes it) in Account Settings.
   */
  'application_credential_unconfirmed',
  /** The member has not confirmed its e-mail address: no link that gives a way in can be sent to it. */
  'email_not_verified',
  /** The request body is larger than the gateway accepts. */
  'payload_too_large',
  /** The request body is not JSON. */
  'unsupported_media_type',
  /** A dependency (a service, Redis, Postgres) cannot be reached; the caller may retry. */
  'service_unavailable',
  /** An unexpected fault; the message carries an errorId to find it in the logs. */
  'internal',
] as const;

export const errorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/** What an error looks like on the wire (NATS reply `err`). Never carries a stack trace. */
export const errorPayloadSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  errorId: z.string().optional(),
  /** With too_many_attempts: how long to wait. */
  retryAfterSeconds: z.number().int().positive().optional(),
  /** With step_up_required: how long a step-up counts, and what it takes (a code, or the password). */
  stepUp: z
    .object({ maxAgeSeconds: z.number().int().positive(), with: z.enum(['code', 'password']) })
    .optional(),
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorPayload = z.infer<typeof errorPayloadSchema>;

/** A failure a service means to report: a code from the list above and a human message. */
export class DomainError extends Error {
  readonly details?: ErrorPayload['details'];
  readonly errorId?: string;
  readonly retryAfterSeconds?: number;
  readonly stepUp?: ErrorPayload['stepUp'];

  constructor(
    readonly code: ErrorCode,
    message: string,
    extra: Pick<ErrorPayload, 'details' | 'errorId' | 'retryAfterSeconds' | 'stepUp'> = {},
  ) {
    super(message);
    this.name = 'DomainError';
    if (extra.details) this.details = extra.details;
    if (extra.errorId) this.errorId = extra.errorId;
    if (extra.retryAfterSeconds) this.retryAfterSeconds = extra.retryAfterSeconds;
    if (extra.stepUp) this.stepUp = extra.stepUp;
  }

  toPayload(): ErrorPayload {
    return {
      code: this.code,
      message: this.message,
      ...(this.details ? { details: this.details } : {}),
      ...(this.errorId ? { errorId: this.errorId } : {}),
      ...(this.retryAfterSeconds ? { retryAfterSeconds: this.retryAfterSeconds } : {}),
      ...(this.stepUp ? { stepUp: this.stepUp } : {}),
    };
  }

  static fromPayload(payload: ErrorPayload): DomainError {
    const { code, message, ...extra } = payload;
    return new DomainError(code, message, extra);
  }
}

/** Turns schema issues into `details` that name the field and never echo the value. */
export function validationError(error: z.ZodError, what = 'request'): DomainError {
  const details = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  const summary = details.map((d) => `${d.path}: ${d.message}`).join('; ');
  return new DomainError('validation_failed', `Invalid ${what}: ${summary}`, { details });
}

/** The path of the first text in `value` holding a NUL character (no text of ours may: Postgres refuses it). */
function nulPath(value: unknown, path: (string | number)[] = []): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') || '(root)' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000')) return [...path, key.replaceAll('\u0000', '')].join('.');
    const found = nulPath(item, [...path, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Parses untrusted input (an HTTP body, query or parameter; an RPC payload) by its schema: the
 * parsed value, or a 400 naming each bad field — a text with a NUL character among them.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what = 'request'): z.output<S> {
  const nul = nulPath(value);
  if (nul !== undefined) {
    const message = 'must not contain a NUL character';
    throw new DomainError('validation_failed', `Invalid ${what}: ${nul}: ${message}`, {
      details: [{ path: nul, message }],
    });
  }
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, what);
  return result.data;
}
