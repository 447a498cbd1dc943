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
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorPayload = z.infer<typeof errorPayloadSchema>;

/** A failure a service means to report: a code from the list above and a human message. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorPayload['details'],
    readonly errorId?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  toPayload(): ErrorPayload {
    return {
      code: this.code,
      message: this.message,
      ...(this.details ? { details: this.details } : {}),
      ...(this.errorId ? { errorId: this.errorId } : {}),
    };
  }

  static fromPayload(payload: ErrorPayload): DomainError {
    return new DomainError(payload.code, payload.message, payload.details, payload.errorId);
  }
}

/** Turns schema issues into `details` that name the field and never echo the value. */
export function validationError(error: z.ZodError, what = 'request'): DomainError {
  const details = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  const summary = details.map((d) => `${d.path}: ${d.message}`).join('; ');
  return new DomainError('validation_failed', `Invalid ${what}: ${summary}`, details);
}
