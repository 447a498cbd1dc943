import type { SecurityEventType } from '@twofold/contracts';
import { formatDate, intlLocale, t, type MessageKey } from '../i18n';
import { format as formatMessages } from '../i18n/messages/format';

export function groupSecret(secret: string): string {
  return (secret.replace(/\s+/g, '').match(/.{1,4}/g) ?? []).join(' ');
}

export function formatWait(totalSeconds: number): string {
  const seconds = Math.max(1, Math.ceil(totalSeconds));
  const [hours, minutes, rest] = [
    Math.floor(seconds / 3600),
    Math.floor((seconds % 3600) / 60),
    seconds % 60,
  ];
  const parts: [number, string][] =
    hours > 0
      ? [
          [hours, 'hour'],
          [minutes, 'minute'],
        ]
      : minutes > 0
        ? [
            [minutes, 'minute'],
            [rest, 'second'],
          ]
        : [[rest, 'second']];
  const words = parts
    .filter(([n], i) => i === 0 || n > 0)
    .map(([n, unit]) =>
      new Intl.NumberFormat(intlLocale(), { style: 'unit', unit, unitDisplay: 'long' }).format(n),
    );
  return new Intl.ListFormat(intlLocale(), { type: 'unit', style: 'narrow' }).format(words);
}

export function otpInput(value: string): string {
  return value.replace(/\D/g, '').slice(0, 6);
}

export const isCompleteOtp = (value: string): boolean => /^\d{6}$/.test(value);

export function recoveryCodesFile(login: string, codes: readonly string[], issuedAt: Date): string {
  const issued = issuedAt.toISOString().replace('T', ' ').slice(0, 16);
  return t('format.codesFile', {
    login,
    issued,
    codes: codes.map((code, i) => `${i + 1}. ${code}`).join('\n'),
  });
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
  if (asked === 'password' && problem.code === 'invalid_credentials') return t('format.error.wrongPassword');
  if (asked === 'recovery code' && (problem.code === 'invalid_code' || problem.code === 'code_already_used'))
    return t('format.error.wrongRecoveryCode');
  if (problem.code === 'too_many_attempts' && problem.retryAfterSeconds)
    return t('format.error.tooManyWait', { wait: formatWait(problem.retryAfterSeconds) });
  const key = ERROR_MESSAGES[problem.code];
  return key ? t(key) : problem.message;
}

const ERROR_MESSAGES: Record<string, MessageKey | undefined> = {
  invalid_credentials: 'format.error.invalidCredentials',
  invalid_code: 'format.error.invalidCode',
  code_already_used: 'format.error.codeUsed',
  too_many_attempts: 'format.error.tooMany',
  sign_in_locked: 'format.error.signInLocked',
  second_factor_locked: 'format.error.secondFactorLocked',
  link_invalid: 'format.error.linkInvalid',
  second_factor_required: 'format.error.secondFactorRequired',
  password_reset_required: 'format.error.passwordResetRequired',
  mfa_token_invalid: 'format.error.mfaTokenInvalid',
  network: 'format.error.network',
  service_unavailable: 'format.error.unavailable',
};

/** Typed so that an event type without words in the catalog fails to compile. */
const EVENT_WORDS: Readonly<Record<`format.event.${SecurityEventType}`, string>> = formatMessages.en;

export const describeEvent = (type: string): string => {
  const key = `format.event.${type}`;
  return key in EVENT_WORDS ? t(key as keyof typeof EVENT_WORDS) : type;
};

const POLICY_FIELDS: Record<string, MessageKey | undefined> = {
  requireTwoFactor: 'format.policy.requireTwoFactor',
  gracePeriodDays: 'format.policy.gracePeriodDays',
  notifyNewDevice: 'format.policy.notifyNewDevice',
  allowedSecondFactors: 'format.policy.allowedSecondFactors',
  phishingResistantFor: 'format.policy.phishingResistantFor',
  passwordlessSignIn: 'format.policy.passwordlessSignIn',
};
const FACTOR_WORDS: Record<string, MessageKey | undefined> = {
  totp: 'format.policy.totp',
  webauthn: 'format.policy.webauthn',
};

function policyValue(field: string, value: unknown): string {
  if (typeof value === 'boolean') return t(value ? 'format.policy.on' : 'format.policy.off');
  if (field === 'gracePeriodDays' && typeof value === 'number')
    return t('format.policy.days', { days: value });
  if (Array.isArray(value)) {
    if (value.length === 0) return t('format.policy.none');
    const words = value.map((item: unknown) => {
      const key = FACTOR_WORDS[String(item)];
      return key ? t(key) : String(item);
    });
    return new Intl.ListFormat(intlLocale(), { type: 'conjunction' }).format(words);
  }
  return String(value);
}

/** What a policy change changed, "Require 2FA: off → on; …", from the audit entry's details. */
export function describePolicyChange(details: Record<string, unknown>): string {
  const before = (details['before'] ?? {}) as Record<string, unknown>;
  return Object.entries(details)
    .filter(([field]) => POLICY_FIELDS[field])
    .map(([field, after]) => {
      const name = t(POLICY_FIELDS[field]!);
      return field in before
        ? t('format.policy.changed', {
            name,
            before: policyValue(field, before[field]),
            after: policyValue(field, after),
          })
        : t('format.policy.set', { name, after: policyValue(field, after) });
    })
    .join('; ');
}

export const expiryOf = (expiresAt: string | null): string =>
  expiresAt ? t('format.expires', { date: formatDate(expiresAt) }) : t('format.neverExpires');

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
  if (seconds < 60) return t('format.justNow');
  const [value, unit]: [number, Intl.RelativeTimeFormatUnit] =
    seconds < 3600
      ? [Math.floor(seconds / 60), 'minute']
      : seconds < 86_400
        ? [Math.floor(seconds / 3600), 'hour']
        : [Math.floor(seconds / 86_400), 'day'];
  return new Intl.RelativeTimeFormat(intlLocale(), { numeric: 'always' }).format(-value, unit);
}

const VIA_KEYS: Record<string, MessageKey | undefined> = {
  web: 'format.via.web',
  api: 'format.via.api',
  keystone: 'format.via.keystone',
  application_credential: 'format.via.application_credential',
};
export const describeVia = (via: string): string => {
  const key = VIA_KEYS[via];
  return key ? t(key) : via;
};

export function deadlineInWords(deadline: string, now: Date = new Date()): string {
  const date = formatDate(deadline, 'UTC');
  const ms = new Date(deadline).getTime() - now.getTime();
  if (ms <= 0) return t('format.deadline.due', { date });
  return t('format.deadline.by', { date, days: Math.floor(ms / 86_400_000) });
}

/** A clock's offset in words: seconds under 90 s, whole minutes above. */
export function offsetInWords(driftSeconds: number): string {
  const seconds = Math.abs(driftSeconds);
  const [amount, unit] = seconds < 90 ? [seconds, 'second'] : [Math.round(seconds / 60), 'minute'];
  return new Intl.NumberFormat(intlLocale(), { style: 'unit', unit, unitDisplay: 'long' }).format(amount);
}

export function driftInWords(driftSeconds: number): string {
  if (driftSeconds === 0) return t('format.drift.onTime');
  return t(driftSeconds > 0 ? 'format.drift.ahead' : 'format.drift.behind', {
    amount: offsetInWords(driftSeconds),
  });
}
