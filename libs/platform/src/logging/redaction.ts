import { stdSerializers } from 'pino';

/**
 * Every log line passes through this list. Anything that is or could carry a secret — a
 * password, a one-time code, a recovery code, an OTP secret or URI, a token — is censored
 * wherever it appears in a logged object, including request headers and bodies.
 */
export const REDACT_PATHS = [
  'password',
  'currentPassword',
  'newPassword',
  'passcode',
  'code',
  'secret',
  'otpauthUri',
  'recoveryCodes',
  'recoveryCode',
  'token',
  'mfaToken',
  'receipt',
  'authorization',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.passcode',
  '*.code',
  '*.secret',
  '*.otpauthUri',
  '*.recoveryCodes',
  '*.recoveryCode',
  '*.token',
  '*.mfaToken',
  '*.receipt',
  '*.authorization',
  'req.headers.authorization',
  'req.headers["x-auth-token"]',
  'req.headers["x-subject-token"]',
  'req.headers["openstack-auth-receipt"]',
  'req.headers.cookie',
  'res.headers["x-subject-token"]',
  'res.headers["openstack-auth-receipt"]',
  'res.headers["set-cookie"]',
];

/**
 * Errors as logged: pino's standard form, without the values a failed query was given (a
 * QueryFailedError carries its parameters — a password hash, a token's hash — at the top and in
 * its driver error). The query's text names columns only, and stays.
 */
export function loggedError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const logged = stdSerializers.err(error) as Record<string, unknown>;
  const strip = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    delete copy.parameters;
    for (const key of ['driverError', 'cause', 'err']) if (key in copy) copy[key] = strip(copy[key]);
    return copy;
  };
  return strip(logged);
}
