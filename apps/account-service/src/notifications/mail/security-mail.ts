import { type SecurityEvent } from '@twofold/contracts';

export interface SecurityMail {
  subject: string;
  text: string;
  html: string;
}

export interface MailContext {
  login: string;
  accountName: string;
}

const escapeHtml = (value: string): string =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const remaining = (event: SecurityEvent): number => Number(event.details.remaining ?? 0);
const codes = (n: number): string => (n === 1 ? '1 recovery code' : `${n} recovery codes`);

/**
 * The words of each security e-mail. Never a secret, a code or a token: only what happened,
 * when, from where, and what to do if it was not you. Every event type has a decided row: `null`
 * for events that only go to the audit log, so a new type cannot go unmailed by accident.
 */
const WORDING: Record<
  SecurityEvent['type'],
  ((e: SecurityEvent) => { subject: string; lines: string[] }) | null
> = {
  'account.created': null,
  'member.roles_changed': null,
  'policy.changed': null,
  'two_factor.enabled': () => ({
    subject: 'Two-factor authentication is on',
    lines: [
      'Two-factor authentication was turned on for your sign-in.',
      'Keep your recovery codes somewhere safe.',
    ],
  }),
  'two_factor.disabled': () => ({
    subject: 'Two-factor authentication is off',
    lines: [
      'Two-factor authentication was turned off for your sign-in. Your other sessions were signed out.',
    ],
  }),
  'two_factor.reset': (e) => ({
    subject:
      e.details.byOperator === true
        ? 'The platform reset your two-factor authentication'
        : 'An admin reset your two-factor authentication',
    lines: [
      e.details.byOperator === true
        ? 'The platform’s operators reset two-factor authentication for your sign-in, at your account’s request. You can set it up again in Account Settings.'
        : 'An admin of your account reset two-factor authentication for your sign-in. You can set it up again in Account Settings.',
    ],
  }),
  'two_factor.locked': () => ({
    subject: 'Your second factor is locked',
    lines: [
      'After too many wrong codes in a row, your second factor is locked.',
      'Sign in with a recovery code to unlock it, or ask an admin of your account to reset two-factor authentication.',
    ],
  }),
  'two_factor.unlocked': () => ({
    subject: 'Your second factor was unlocked',
    lines: [
      'The platform’s operators unlocked your second factor. Codes from your authenticator app work again.',
    ],
  }),
  'sign_in.locked': (e) => ({
    subject: 'Sign-in was locked after repeated wrong passwords',
    lines: [
      `After ${Number(e.details.failures ?? 0)} wrong passwords in a row, signing in with your login is locked.`,
      'An owner or an admin of your account can unlock it by setting you a new password.',
    ],
  }),
  'sign_in.unlocked': (e) => ({
    subject: 'Sign-in is unlocked',
    lines: [
      e.details.byOperator === true
        ? 'The platform’s operators unlocked signing in with your login. It works again.'
        : 'Signing in with your login works again.',
    ],
  }),
  'recovery_code.used': (e) => ({
    subject: 'A recovery code was used to sign in',
    lines: [`A recovery code was used to sign in. You have ${codes(remaining(e))} left.`],
  }),
  'recovery_codes.low': (e) => ({
    subject: 'You are running out of recovery codes',
    lines: [
      `You have ${codes(remaining(e))} left. Make a new set in Account Settings → Two-factor authentication.`,
    ],
  }),
  'recovery_codes.regenerated': () => ({
    subject: 'New recovery codes were made',
    lines: ['A new set of recovery codes was made for your sign-in. The old codes no longer work.'],
  }),
  'application_credential.created': (e) => ({
    subject: 'An application credential was created',
    lines: [
      `The application credential "${String(e.details.name ?? '')}" was created for your sign-in. Automation can sign in with it without a code, with its roles (${String(e.details.roles ?? '')}).`,
    ],
  }),
  'application_credential.deleted': (e) => ({
    subject: 'An application credential was deleted',
    lines: [
      `The application credential "${String(e.details.name ?? '')}" was deleted; its tokens no longer work.`,
    ],
  }),
  'password.changed': () => ({
    subject: 'Your password was changed',
    lines: ['The password of your sign-in was changed, and your other sessions were signed out.'],
  }),
  'member.added': () => ({
    subject: 'You were added to a Twofold account',
    lines: ['You were added as a member of this account.'],
  }),
  'sessions.ended': (e) => ({
    subject:
      e.details.byAdmin === true ? 'An admin signed you out everywhere' : 'You signed out everywhere else',
    lines: [
      e.details.byAdmin === true
        ? 'An owner or admin of your account ended all your sessions and Keystone tokens. Sign in again to carry on.'
        : 'All your other sessions and Keystone tokens were ended; the session you did it from stays signed in.',
    ],
  }),
  'second_factor.replay_detected': (e) => ({
    subject: 'Someone entered a code you had just used',
    lines: [
      `A sign-in from ${String(e.details.replayedFrom ?? 'an unknown address')} entered the code you had just used (from ${String(e.details.acceptedFrom ?? 'an unknown address')}). It was refused.`,
      'Someone probably relayed what you typed into a fake sign-in page, so your password is probably known: change it now in Account Settings, and sign out everywhere else.',
    ],
  }),
  'member.removed': () => ({
    subject: 'You were removed from a Twofold account',
    lines: ['You were removed from this account and can no longer sign in to it.'],
  }),
};

export function securityMail(event: SecurityEvent, context: MailContext): SecurityMail | undefined {
  const wording = WORDING[event.type]?.(event);
  if (!wording) return undefined;
  const when = `${event.occurredAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`;
  const where = event.ip ? ` from ${event.ip}` : '';
  const footer = [
    `Account: ${context.accountName} · Sign-in: ${context.login}`,
    `When: ${when}${where}`,
    'If this was not you, change your password and contact an admin of your account.',
  ];
  const text = [`Hello ${context.login},`, '', ...wording.lines, '', ...footer, ''].join('\n');
  const html = [
    `<p>Hello ${escapeHtml(context.login)},</p>`,
    ...wording.lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    `<p style="color:#555;font-size:90%">${footer.map(escapeHtml).join('<br>')}</p>`,
  ].join('\n');
  return { subject: `[Twofold] ${wording.subject}`, text, html };
}
