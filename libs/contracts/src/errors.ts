import { z } from 'zod';

/** They cross process boundaries and reach clients, so a code is never renamed or reused. */
export const ERROR_CODES = [
  'validation_failed',
  /** Keystone: an auth method Twofold does not offer (its answer lists the ones it does). */
  'unsupported_auth_method',
  /** Keystone: the credential used may not ask for that scope (an application credential's is fixed). */
  'scope_not_allowed',
  /** Login or password is wrong; deliberately does not say which. */
  'invalid_credentials',
  'unauthenticated',
  'forbidden',
  'not_found',
  'account_name_taken',
  'login_taken',
  'application_credential_name_taken',
  'invalid_code',
  /** The code was right but its time step was already used: wait for the next code. */
  'code_already_used',
  'too_many_attempts',
  /** The second factor is locked after repeated failures: a recovery code or an admin reset unlocks it. */
  'second_factor_locked',
  /** Too many wrong passwords in a row for this login: an admin sets a new password to unlock it. */
  'sign_in_locked',
  'use_me_route',
  /** The MFA token (or Keystone receipt) is unknown, used or expired: sign in with the password again. */
  'mfa_token_invalid',
  /** The account requires 2FA and this member has none yet: only enrolment is open. */
  'two_factor_required',
  'second_factor_session_required',
  /** The second factor (or, without 2FA, the password) proven within `maxAgeSeconds`: POST /auth/step-up. */
  'step_up_required',
  'two_factor_not_enabled',
  'two_factor_already_enabled',
  /** Cannot be turned off: replace the authenticator instead (an admin can still reset it). */
  'two_factor_required_by_policy',
  'enrollment_not_found',
  'link_invalid',
  /** A password reset of a member with 2FA needs a code too, so a mailbox alone cannot take the account. */
  'second_factor_required',
  /** Password sign-in is stopped after "this wasn't me": reset the password first. */
  'password_reset_required',
  /** Made without a second factor before 2FA was turned on: the member confirms or deletes it. */
  'application_credential_unconfirmed',
  /** The member has not confirmed its e-mail address: no link that gives a way in can be sent to it. */
  'email_not_verified',
  /** The authenticator's answer did not prove a passkey of this member for this challenge. */
  'passkey_refused',
  'passkey_already_registered',
  /** The deployment's relying party is an IP address, which browsers refuse: no passkeys. */
  'passkeys_unavailable',
  /** The account requires a passkey of this member, who has one: codes from an app are refused. */
  'phishing_resistant_factor_required',
  'second_factor_not_allowed',
  /** A TOTP code from a member whose second factors are passkeys (a recovery code works). */
  'no_authenticator_app',
  'payload_too_large',
  'unsupported_media_type',
  'service_unavailable',
  'internal',
] as const;

export const errorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/** Never carries a stack trace. */
export const errorPayloadSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  errorId: z.string().optional(),
  retryAfterSeconds: z.number().int().positive().optional(),
  stepUp: z
    .object({
      maxAgeSeconds: z.number().int().positive(),
      with: z.enum(['code', 'password']),
      /** The member has a passkey, which steps up too. */
      passkey: z.boolean().optional(),
    })
    .optional(),
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorPayload = z.infer<typeof errorPayloadSchema>;

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

/** Names the field and never echoes the value. */
export function validationError(error: z.ZodError, what = 'request'): DomainError {
  const details = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  const summary = details.map((d) => `${d.path}: ${d.message}`).join('; ');
  return new DomainError('validation_failed', `Invalid ${what}: ${summary}`, { details });
}

/** Postgres refuses NUL characters, so no text of ours may hold one. */
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
