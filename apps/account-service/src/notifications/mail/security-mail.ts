import {
  type Language,
  LANGUAGES,
  type SecurityEvent,
  type SecurityEventOf,
  type SecurityEventType,
} from '@twofold/contracts';
import { Translator, type Values } from '@twofold/i18n';
import { type MailKey, mailMessages } from './messages';

export interface SecurityMail {
  subject: string;
  text: string;
  html: string;
}

export interface MailContext {
  login: string;
  accountName: string;
  /** The recipient's: the member's own, an owner's or admin's for their copy. */
  language: Language;
  link?: { url: string; validMinutes: number };
  /** Set when the owner and admins are told: their own words where an event has them, never the member's link. */
  copyTo?: string;
}

/** The GET of a link only shows a page; the page asks before it acts. */
export const MAIL_LINK: Record<
  SecurityEventType,
  'password_reset' | 'not_me' | 'two_factor_resync' | 'email_verification' | 'invitation' | null
> = {
  // A new address is proven by the link of the first e-mail to it.
  'account.created': 'email_verification',
  'member.added': 'email_verification',
  'member.invited': 'invitation',
  'member.joined': null,
  'member.invitation_withdrawn': null,
  'email.change_requested': 'email_verification',
  'email.verified': null,
  // The old address is told, and may take the change back.
  'email.changed': 'not_me',
  'member.roles_changed': null,
  'policy.changed': null,
  'session.ended': null,
  'member.removed': null,
  'security.not_me_reported': null,
  // A reminder of the account's rule, not news of something done with the member's sign-in.
  'two_factor.reminder': null,
  'second_factor.succeeded': null,
  'second_factor.failed': null,
  'recovery_codes.checked': null,
  'password_reset.requested': 'password_reset',
  'two_factor.resync_requested': 'two_factor_resync',
  'password.changed': 'not_me',
  'password_reset.completed': 'not_me',
  'two_factor.enabled': 'not_me',
  'two_factor.replaced': 'not_me',
  'passkey.added': 'not_me',
  'passkey.removed': 'not_me',
  'passkey.clone_detected': 'not_me',
  'two_factor.resynced': 'not_me',
  'two_factor.disabled': 'not_me',
  'two_factor.reset': 'not_me',
  'two_factor.locked': 'not_me',
  'two_factor.unlocked': 'not_me',
  'sign_in.locked': 'not_me',
  'sign_in.unlocked': 'not_me',
  'sign_in.new_device': 'not_me',
  'recovery_code.used': 'not_me',
  'recovery_codes.low': 'not_me',
  'recovery_codes.regenerated': 'not_me',
  'application_credential.created': 'not_me',
  'application_credential.deleted': 'not_me',
  'sessions.ended': 'not_me',
  'second_factor.replay_detected': 'not_me',
};

const escapeHtml = (value: string): string =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

type Translate = (key: MailKey, values?: Values) => string;
const TRANSLATE = Object.fromEntries(
  LANGUAGES.map((language) => [language, new Translator(mailMessages, language).t]),
) as Record<Language, Translate>;

const isoParts = new Intl.DateTimeFormat('en', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});
const germanDate = (timeStyle: 'medium' | 'short') =>
  new Intl.DateTimeFormat('de', { dateStyle: 'long', timeStyle, timeZone: 'UTC' });
const GERMAN = { medium: germanDate('medium'), short: germanDate('short') };

/** In UTC, which the messages name. English mails have always written dates in ISO order. */
const DATE_TIME: Record<Language, (at: Date, seconds: boolean) => string> = {
  en: (at, seconds) => {
    const p = Object.fromEntries(isoParts.formatToParts(at).map((part) => [part.type, part.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${seconds ? `:${p.second}` : ''}`;
  },
  de: (at, seconds) => GERMAN[seconds ? 'medium' : 'short'].format(at),
};

/** Never a secret, code or token. Every type has a row (`null`: audit only), so none goes unmailed by accident. */
type Wording<T extends SecurityEventType> = (
  e: SecurityEventOf<T>,
  context: MailContext,
  t: Translate,
) => { subject: string; lines: string[] };

const WORDING: { [T in SecurityEventType]: Wording<T> | null } = {
  'account.created': (_e, context, t) => ({
    subject: t('mail.account.created.subject'),
    lines: [t('mail.account.created.ready', { account: context.accountName }), confirmLink(context, t)],
  }),
  'email.verified': null,
  'member.invited': (_e, context, t) => ({
    subject: t('mail.member.invited.subject', { account: context.accountName }),
    lines: [
      t('mail.member.invited.added', { account: context.accountName, login: context.login }),
      context.link
        ? t('mail.member.invited.link', {
            days: Math.round(context.link.validMinutes / 1440),
            url: context.link.url,
          })
        : t('mail.linkUsed'),
      t('mail.member.invited.ignore'),
    ],
  }),
  'member.joined': null,
  'member.invitation_withdrawn': null,
  'email.change_requested': (_e, context, t) => ({
    subject: t('mail.email.change_requested.subject'),
    lines: [
      t('mail.email.change_requested.asked', { login: context.login }),
      confirmLink(context, t),
      t('mail.email.change_requested.ignore'),
    ],
  }),
  'email.changed': (e, _context, t) => ({
    subject: t('mail.email.changed.subject'),
    lines: [t('mail.email.changed.changed', { to: e.details.to })],
  }),
  'member.roles_changed': null,
  'policy.changed': null,
  'session.ended': null,
  // Audit only: a sign-in is no news, and wrong codes are told once they lock (two_factor.locked).
  'second_factor.succeeded': null,
  'second_factor.failed': null,
  'recovery_codes.checked': null,
  'password_reset.requested': (_e, context, t) => ({
    subject: t('mail.password_reset.requested.subject'),
    lines: [
      t('mail.password_reset.requested.asked'),
      context.link
        ? t('mail.password_reset.requested.link', {
            minutes: context.link.validMinutes,
            url: context.link.url,
          })
        : t('mail.linkUsed'),
      t('mail.password_reset.requested.twoFactor'),
      t('mail.password_reset.requested.ignore'),
    ],
  }),
  'password_reset.completed': (_e, _context, t) => ({
    subject: t('mail.password_reset.completed.subject'),
    lines: [t('mail.password_reset.completed.reset')],
  }),
  'security.not_me_reported': (e, _context, t) => ({
    subject: t('mail.security.not_me_reported.subject'),
    lines: [
      t('mail.security.not_me_reported.reported', {
        reported: reported(e),
        deleted: e.details.applicationCredentialsDeleted,
      }),
      ...(e.details.twoFactorRemoved ? [t('mail.security.not_me_reported.twoFactorRemoved')] : []),
      t('mail.security.not_me_reported.next'),
    ],
  }),
  'two_factor.reminder': (e, context, t) => {
    const days = e.details.daysLeft;
    const account = context.accountName;
    return {
      subject:
        e.details.kind === 'policy_started'
          ? t('mail.two_factor.reminder.subject.started', { account })
          : t('mail.two_factor.reminder.subject.left', { days }),
      lines:
        days > 0
          ? [
              t('mail.two_factor.reminder.by', {
                account,
                days,
                by: DATE_TIME[context.language](new Date(e.details.deadline), false),
              }),
              t('mail.two_factor.reminder.after'),
            ]
          : [t('mail.two_factor.reminder.now', { account })],
    };
  },
  'sign_in.new_device': (e, _context, t) => ({
    subject: t('mail.sign_in.new_device.subject'),
    lines: [t('mail.sign_in.new_device.used', { device: e.details.device, via: e.details.via })],
  }),
  'two_factor.enabled': (_e, _context, t) => ({
    subject: t('mail.two_factor.enabled.subject'),
    lines: [t('mail.two_factor.enabled.enabled'), t('mail.keepCodes')],
  }),
  'two_factor.resync_requested': (_e, context, t) => ({
    subject: t('mail.two_factor.resync_requested.subject'),
    lines: [
      t('mail.two_factor.resync_requested.why'),
      context.link
        ? t('mail.two_factor.resync_requested.link', {
            hours: Math.round(context.link.validMinutes / 60),
            url: context.link.url,
          })
        : t('mail.linkUsed'),
      t('mail.two_factor.resync_requested.then'),
    ],
  }),
  'two_factor.resynced': (e, _context, t) => {
    const seconds = e.details.driftSeconds;
    const minutes = Math.round(Math.abs(seconds) / 60);
    return {
      subject: t('mail.two_factor.resynced.subject'),
      lines: [
        t('mail.two_factor.resynced.realigned', {
          unit: seconds === 0 ? 'none' : minutes >= 1 ? 'minutes' : 'seconds',
          amount: minutes >= 1 ? minutes : Math.abs(seconds),
          direction: seconds > 0 ? 'ahead' : 'behind',
        }),
        t('mail.two_factor.resynced.clock'),
      ],
    };
  },
  'two_factor.replaced': (_e, _context, t) => ({
    subject: t('mail.two_factor.replaced.subject'),
    lines: [t('mail.two_factor.replaced.replaced'), t('mail.two_factor.replaced.keep')],
  }),
  'passkey.added': (e, _context, t) => ({
    subject: e.details.twoFactorEnabled
      ? t('mail.two_factor.enabled.subject')
      : t('mail.passkey.added.subject'),
    lines: [
      t('mail.passkey.added.added', { name: e.details.name }),
      ...(e.details.twoFactorEnabled ? [t('mail.passkey.added.twoFactorOn'), t('mail.keepCodes')] : []),
    ],
  }),
  'passkey.removed': (e, _context, t) => ({
    subject: t('mail.passkey.removed.subject'),
    lines: [t('mail.passkey.removed.removed', { name: e.details.name })],
  }),
  'passkey.clone_detected': (e, _context, t) => ({
    subject: t('mail.passkey.clone_detected.subject'),
    lines: [
      t('mail.passkey.clone_detected.refused', { name: e.details.name }),
      t('mail.passkey.clone_detected.remove'),
    ],
  }),
  'two_factor.disabled': (_e, _context, t) => ({
    subject: t('mail.two_factor.disabled.subject'),
    lines: [t('mail.two_factor.disabled.disabled')],
  }),
  'two_factor.reset': (e, _context, t) => ({
    subject: e.details.byOperator
      ? t('mail.two_factor.reset.subject.operator')
      : t('mail.two_factor.reset.subject.admin'),
    lines: [e.details.byOperator ? t('mail.two_factor.reset.operator') : t('mail.two_factor.reset.admin')],
  }),
  'two_factor.locked': (_e, _context, t) => ({
    subject: t('mail.two_factor.locked.subject'),
    lines: [t('mail.two_factor.locked.locked'), t('mail.two_factor.locked.unlock')],
  }),
  'two_factor.unlocked': (_e, _context, t) => ({
    subject: t('mail.two_factor.unlocked.subject'),
    lines: [t('mail.two_factor.unlocked.unlocked')],
  }),
  'sign_in.locked': (e, _context, t) => ({
    subject: t('mail.sign_in.locked.subject'),
    lines: [
      e.details.failures === undefined
        ? t('mail.sign_in.locked.uncounted')
        : t('mail.sign_in.locked.counted', { failures: e.details.failures }),
      t('mail.sign_in.locked.unlock'),
    ],
  }),
  'sign_in.unlocked': (e, _context, t) => ({
    subject: t('mail.sign_in.unlocked.subject'),
    lines: [e.details.byOperator ? t('mail.sign_in.unlocked.operator') : t('mail.sign_in.unlocked.unlocked')],
  }),
  'recovery_code.used': (e, _context, t) => ({
    subject: t('mail.recovery_code.used.subject'),
    lines: [t('mail.recovery_code.used.used', { remaining: e.details.remaining })],
  }),
  'recovery_codes.low': (e, _context, t) => ({
    subject: t('mail.recovery_codes.low.subject'),
    lines: [t('mail.recovery_codes.low.left', { remaining: e.details.remaining })],
  }),
  'recovery_codes.regenerated': (_e, _context, t) => ({
    subject: t('mail.recovery_codes.regenerated.subject'),
    lines: [t('mail.recovery_codes.regenerated.made')],
  }),
  'application_credential.created': (e, _context, t) => ({
    subject: t('mail.application_credential.created.subject'),
    lines: [
      t('mail.application_credential.created.created', { name: e.details.name, roles: e.details.roles }),
    ],
  }),
  'application_credential.deleted': (e, _context, t) => ({
    subject: t('mail.application_credential.deleted.subject'),
    lines: [t('mail.application_credential.deleted.deleted', { name: e.details.name })],
  }),
  'password.changed': (_e, _context, t) => ({
    subject: t('mail.password.changed.subject'),
    lines: [t('mail.password.changed.changed')],
  }),
  'member.added': (_e, context, t) => ({
    subject: t('mail.member.added.subject'),
    lines: [t('mail.member.added.added'), confirmLink(context, t)],
  }),
  'sessions.ended': (e, _context, t) => ({
    subject: e.details.byAdmin
      ? t('mail.sessions.ended.subject.admin')
      : t('mail.sessions.ended.subject.own'),
    lines: [e.details.byAdmin ? t('mail.sessions.ended.admin') : t('mail.sessions.ended.own')],
  }),
  'second_factor.replay_detected': (e, _context, t) => ({
    subject: t('mail.second_factor.replay_detected.subject'),
    lines: [
      t('mail.second_factor.replay_detected.refused', {
        replayedFrom: e.details.replayedFrom,
        acceptedFrom: e.details.acceptedFrom,
      }),
      t('mail.second_factor.replay_detected.advice'),
    ],
  }),
  'member.removed': (_e, _context, t) => ({
    subject: t('mail.member.removed.subject'),
    lines: [t('mail.member.removed.removed')],
  }),
};

const reported = (e: SecurityEventOf<'security.not_me_reported'>): string =>
  e.details.reportedEventType ? ` (${e.details.reportedEventType})` : '';

const WORDING_FOR_OTHERS: { [T in SecurityEventType]?: Wording<T> } = {
  'security.not_me_reported': (e, context, t) => ({
    subject: t('mail.security.not_me_reported.others.subject', { login: context.login }),
    lines: [
      t('mail.security.not_me_reported.others.reported', { login: context.login, reported: reported(e) }),
      t('mail.security.not_me_reported.others.done'),
    ],
  }),
};

const confirmLink = (context: MailContext, t: Translate): string =>
  context.link
    ? t('mail.confirmLink', { days: Math.round(context.link.validMinutes / 1440), url: context.link.url })
    : t('mail.linkUsed');

/** Events that are never e-mailed are audited without reading who the member is. */
export const isMailed = (type: SecurityEventType): boolean => WORDING[type] !== null;

/** Every word in the recipient's language (`context.language`). */
export function securityMail(event: SecurityEvent, context: MailContext): SecurityMail | undefined {
  const own = wordingOf(WORDING, event);
  if (!own) return undefined;
  const t = TRANSLATE[context.language];
  const forOthers = context.copyTo ? wordingOf(WORDING_FOR_OTHERS, event) : undefined;
  const wording = (forOthers ?? own)(event, context, t);
  const lines =
    context.copyTo && !forOthers
      ? [t('mail.copy', { login: context.login }), ...wording.lines]
      : wording.lines;
  const when = DATE_TIME[context.language](new Date(event.occurredAt), true);
  const link = context.copyTo ? undefined : context.link;
  const notMe =
    link && MAIL_LINK[event.type] === 'not_me'
      ? t('mail.notMe.link', { days: Math.round(link.validMinutes / 1440), url: link.url })
      : MAIL_LINK[event.type] === 'not_me' && !context.copyTo
        ? t('mail.notMe.noLink')
        : undefined;
  const footer = [
    t('mail.footer.account', { account: context.accountName, login: context.login }),
    event.ip ? t('mail.footer.whenFrom', { when, ip: event.ip }) : t('mail.footer.when', { when }),
    ...(notMe ? [notMe] : []),
  ];
  const greeting = t('mail.greeting', { name: context.copyTo ?? context.login });
  const text = [greeting, '', ...lines, '', ...footer, ''].join('\n');
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    ...lines.map((line) => `<p>${linkify(line, link?.url)}</p>`),
    `<p style="color:#555;font-size:90%">${footer.map((line) => linkify(line, link?.url)).join('<br>')}</p>`,
  ].join('\n');
  return { subject: `[Twofold] ${wording.subject}`, text, html };
}

const wordingOf = <T extends SecurityEventType>(
  table: { [K in SecurityEventType]?: Wording<K> | null },
  event: SecurityEventOf<T>,
): Wording<T> | null | undefined => table[event.type];

function linkify(line: string, url: string | undefined): string {
  if (!url || !line.includes(url)) return escapeHtml(line);
  const [before, after] = line.split(url);
  return `${escapeHtml(before)}<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>${escapeHtml(after ?? '')}`;
}
