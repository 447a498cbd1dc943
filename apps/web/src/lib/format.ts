import type { SecurityEventType } from '@twofold/contracts';

export function groupSecret(secret: string): string {
  return (secret.replace(/\s+/g, '').match(/.{1,4}/g) ?? []).join(' ');
}

export function formatWait(totalSeconds: number): string {
  const seconds = Math.max(1, Math.ceil(totalSeconds));
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0)
    return [unit(hours, 'hour'), minutes > 0 ? unit(minutes, 'minute') : ''].filter(Boolean).join(' ');
  if (minutes > 0)
    return [unit(minutes, 'minute'), rest > 0 ? unit(rest, 'second') : ''].filter(Boolean).join(' ');
  return unit(rest, 'second');
}

export function otpInput(value: string): string {
  return value.replace(/\D/g, '').slice(0, 6);
}

export const isCompleteOtp = (value: string): boolean => /^\d{6}$/.test(value);

export function recoveryCodesFile(login: string, codes: readonly string[], issuedAt: Date): string {
  return [
    `Twofold recovery codes for ${login}`,
    `Issued ${issuedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC`,
    '',
    ...codes.map((code, i) => `${i + 1}. ${code}`),
    '',
    'Each code signs you in once, in place of a code from your authenticator app.',
    'Keep them somewhere safe and apart from your phone. Generating new codes voids these.',
    '',
  ].join('\n');
}

const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** Rejection sampling, so no modulo bias. */
export function generatePassword(randomBytes: (n: number) => Uint8Array, length = 40): string {
  const limit = 256 - (256 % PASSWORD_ALPHABET.length);
  let password = '';
  while (password.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit && password.length < length)
        password += PASSWORD_ALPHABET[byte % PASSWORD_ALPHABET.length];
    }
  }
  return password;
}

export interface ProblemLike {
  code: string;
  message: string;
  retryAfterSeconds?: number | undefined;
}

/** What the form asked for: a used recovery code reads as invalid (the server does not say which), a password alone as not right. */
export function friendlyError(
  problem: ProblemLike,
  asked: 'code' | 'recovery code' | 'password' = 'code',
): string {
  if (asked === 'password' && problem.code === 'invalid_credentials') return 'That password is not right.';
  if (
    asked === 'recovery code' &&
    (problem.code === 'invalid_code' || problem.code === 'code_already_used')
  ) {
    return 'That recovery code is not valid, or it has already been used. Each code works once.';
  }
  switch (problem.code) {
    case 'invalid_credentials':
      return 'That login and password do not match.';
    case 'invalid_code':
      return 'That code did not work. Check that your phone’s clock is right and enter the newest code.';
    case 'code_already_used':
      return 'That code has already been used. Wait for the next one in your app, or use another recovery code.';
    case 'too_many_attempts':
      return problem.retryAfterSeconds
        ? `Too many failed attempts. Wait ${formatWait(problem.retryAfterSeconds)}, then try again.`
        : 'Too many failed attempts. Wait a moment, then try again.';
    case 'sign_in_locked':
      return 'Sign-in is locked after too many wrong passwords. Ask an owner or an admin of your account to set you a new password.';
    case 'second_factor_locked':
      return 'Your second factor is locked after too many wrong codes. Sign in with a recovery code, or ask an admin of your account to reset your 2FA.';
    case 'link_invalid':
      return 'This link no longer works: it was already used, it expired, or a newer password replaced it. Ask for a new one.';
    case 'second_factor_required':
      return 'Two-factor authentication is on for this sign-in: also enter a code from your authenticator app, or a recovery code.';
    case 'password_reset_required':
      return 'Signing in with this password is stopped, because a security e-mail was reported as “this wasn’t me”. Choose a new password with “Forgot your password?”.';
    case 'mfa_token_invalid':
      return 'This sign-in has expired. Enter your login and password again.';
    case 'network':
      return 'The server cannot be reached. Check your connection and try again.';
    case 'service_unavailable':
      return 'The service is briefly unavailable. Try again in a moment.';
    default:
      return problem.message;
  }
}

const EVENT_LABELS = {
  'account.created': 'Account created',
  'member.added': 'Member added',
  'member.removed': 'Member removed',
  'member.roles_changed': 'Roles changed',
  'password.changed': 'Password changed',
  'two_factor.enabled': '2FA turned on',
  'two_factor.disabled': '2FA turned off',
  'two_factor.reset': '2FA reset by an admin',
  'two_factor.locked': 'Second factor locked',
  'two_factor.unlocked': 'Second factor unlocked by the platform',
  'sign_in.locked': 'Sign-in locked (wrong passwords)',
  'sign_in.unlocked': 'Sign-in unlocked',
  'recovery_code.used': 'Recovery code used',
  'recovery_codes.low': 'Recovery codes running low',
  'recovery_codes.regenerated': 'Recovery codes regenerated',
  'application_credential.created': 'Application credential created',
  'application_credential.deleted': 'Application credential deleted',
  'policy.changed': 'Account policy changed',
  'sessions.ended': 'Signed out everywhere',
  'second_factor.replay_detected': 'Relayed code refused (password probably known)',
  'second_factor.succeeded': 'Second factor accepted',
  'second_factor.failed': 'Wrong second-factor codes',
  'password_reset.requested': 'Password reset link e-mailed',
  'password_reset.completed': 'Password reset with an e-mailed link',
  'security.not_me_reported': '“This wasn’t me” reported: signed out, password stopped',
  'sign_in.new_device': 'Sign-in from a new device',
  'session.ended': 'Session ended',
  'two_factor.reminder': 'Reminded to turn on 2FA',
  'two_factor.replaced': 'Authenticator replaced',
  'passkey.added': 'Passkey added',
  'passkey.removed': 'Passkey removed',
  'passkey.clone_detected': 'Copied passkey refused (its counter went back)',
  'two_factor.resynced': 'Authenticator realigned with its clock',
  'two_factor.resync_requested': 'Link to realign the authenticator e-mailed',
  'member.invited': 'Member invited (link to choose a password e-mailed)',
  'member.joined': 'Invitation accepted',
  'member.invitation_withdrawn': 'Invitation withdrawn',
  'email.verified': 'E-mail address confirmed',
  'email.change_requested': 'New e-mail address asked for (link sent to it)',
  'email.changed': 'E-mail address changed',
} satisfies Record<SecurityEventType, string>;

export const describeEvent = (type: string): string =>
  (EVENT_LABELS as Record<string, string | undefined>)[type] ?? type;

export const expiryOf = (expiresAt: string | null): string =>
  expiresAt ? `expires ${new Date(expiresAt).toISOString().slice(0, 10)}` : 'never expires';

export function cloudsYaml(authUrl: string, credentialId: string, secret: string): string {
  return [
    'clouds:',
    '  twofold:',
    '    auth_type: v3applicationcredential',
    '    auth:',
    `      auth_url: ${authUrl}`,
    `      application_credential_id: ${credentialId.replace(/-/g, '')}`,
    `      application_credential_secret: ${secret}`,
    '',
  ].join('\n');
}

export function timeAgo(at: string, now: Date = new Date()): string {
  const seconds = Math.max(0, Math.round((now.getTime() - new Date(at).getTime()) / 1000));
  if (seconds < 60) return 'just now';
  const [value, unit] =
    seconds < 3600
      ? [Math.floor(seconds / 60), 'minute']
      : seconds < 86_400
        ? [Math.floor(seconds / 3600), 'hour']
        : [Math.floor(seconds / 86_400), 'day'];
  return `${value} ${unit}${value === 1 ? '' : 's'} ago`;
}

export const describeVia = (via: string): string =>
  ({
    web: 'web',
    api: 'API',
    keystone: 'OpenStack (Keystone)',
    application_credential: 'application credential',
  })[via] ?? via;

export function deadlineInWords(deadline: string, now: Date = new Date()): string {
  const at = new Date(deadline);
  const date = at.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const ms = at.getTime() - now.getTime();
  if (ms <= 0) return `was due ${date}`;
  const days = Math.floor(ms / 86_400_000);
  return `by ${date} (${days === 0 ? 'less than a day' : days === 1 ? '1 day' : `${days} days`} left)`;
}

export function driftInWords(driftSeconds: number): string {
  if (driftSeconds === 0) return 'on time';
  const seconds = Math.abs(driftSeconds);
  const minutes = Math.round(seconds / 60);
  const amount = seconds < 90 ? `${seconds} seconds` : `${minutes} minutes`;
  return `${amount} ${driftSeconds > 0 ? 'ahead' : 'behind'}`;
}
