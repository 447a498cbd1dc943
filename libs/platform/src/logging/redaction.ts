import { stdSerializers } from 'pino';

/** Anything that is or could carry a secret is censored wherever it appears, headers and bodies included. */
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

/** Drops a failed query's parameters (hashes, tokens); its text names columns only, and stays. */
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
