import { type SecurityEvent, type SecurityEventOf, type SecurityEventType } from '@twofold/contracts';

export interface SecurityMail {
  subject: string;
  text: string;
  html: string;
}

export interface MailContext {
  login: string;
  accountName: string;
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

const codes = (n: number): string => (n === 1 ? '1 recovery code' : `${n} recovery codes`);

/** Never a secret, code or token. Every type has a row (`null`: audit only), so none goes unmailed by accident. */
type Wording<T extends SecurityEventType> = (
  e: SecurityEventOf<T>,
  context: MailContext,
) => { subject: string; lines: string[] };

const WORDING: { [T in SecurityEventType]: Wording<T> | null } = {
  'account.created': (_e, context) => ({
    subject: 'Confirm your address',
    lines: [
      `Your account ${context.accountName} is ready. Confirm that this address is yours: security e-mails with links (a password reset, “this wasn’t me”) go only to a confirmed address.`,
      ...confirmLink(context),
    ],
  }),
  'email.verified': null,
  'member.invited': (_e, context) => ({
    subject: `You are invited to ${context.accountName}`,
    lines: [
      `An owner or admin of ${context.accountName} added you to its team, with the sign-in ${context.login}. Choose your own password to join: nobody else knows it, or ever sees it.`,
      context.link
        ? `Open this link within ${Math.round(context.link.validMinutes / 1440)} days to choose it (the link works once): ${context.link.url}`
        : 'The link of this e-mail has already been used.',
      'If you do not expect this invitation, ignore this e-mail: nothing happens without you.',
    ],
  }),
  'member.joined': null,
  'member.invitation_withdrawn': null,
  'email.change_requested': (_e, context) => ({
    subject: 'Confirm your new address',
    lines: [
      `The sign-in ${context.login} asked to use this address from now on. It takes effect once you open the link below; until then the old address stays.`,
      ...confirmLink(context),
      'If you did not ask for this, ignore this e-mail: nothing changes.',
    ],
  }),
  'email.changed': (e) => ({
    subject: 'Your e-mail address was changed',
    lines: [
      `The address of your sign-in was changed to ${e.details.to}. Security e-mails go there from now on; this is the last one to this address.`,
    ],
  }),
  'member.roles_changed': null,
  'policy.changed': null,
  'session.ended': null,
  // Audit only: a sign-in is no news, and wrong codes are told once they lock (two_factor.locked).
  'second_factor.succeeded': null,
  'second_factor.failed': null,
  'password_reset.requested': (_e, context) => ({
    subject: 'Choose a new password',
    lines: [
      'Someone — hopefully you — asked to reset the password of your sign-in.',
      context.link
        ? `To choose a new password, open this link within ${context.link.validMinutes} minutes (it works once): ${context.link.url}`
        : 'The link of this e-mail has already been used.',
      'If you use two-factor authentication, you will also need a code from your authenticator app or a recovery code.',
      'If you did not ask for this, ignore this e-mail: your password stays as it is.',
    ],
  }),
  'password_reset.completed': () => ({
    subject: 'Your password was reset',
    lines: [
      'The password of your sign-in was reset with a link sent to this address. Every session and token of yours was signed out.',
    ],
  }),
  'security.not_me_reported': (e) => ({
    subject: 'Your account is secured',
    lines: [
      `You reported a security e-mail${reported(e)} as not you. You were signed out everywhere, your application credentials (${e.details.applicationCredentialsDeleted}) were deleted, and signing in with your password is stopped.`,
      ...(e.details.twoFactorRemoved
        ? [
            'The authenticator that was turned on for your sign-in was removed: a password reset will not ask for its codes. Turn two-factor authentication on again with your own phone once you are back in.',
          ]
        : []),
      'Choose a new password with “Forgot your password?” on the sign-in page to sign in again. The owner and admins of your account were told.',
    ],
  }),
  'two_factor.reminder': (e, context) => {
    const days = e.details.daysLeft;
    const by = e.details.deadline.replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC');
    const left = days === 1 ? '1 day' : `${days} days`;
    return {
      subject:
        e.details.kind === 'policy_started'
          ? `${context.accountName} now requires two-factor authentication`
          : `${left} left to turn on two-factor authentication`,
      lines: [
        days > 0
          ? `Your account ${context.accountName} requires two-factor authentication. Turn it on by ${by} (${left} left): Account Settings → Enable 2FA/OTP, with any authenticator app.`
          : `Your account ${context.accountName} requires two-factor authentication. Turn it on when you next sign in: until you do, you can only sign in to turn it on.`,
        ...(days > 0 ? ['After that date you can still sign in, but only to turn it on.'] : []),
      ],
    };
  },
  'sign_in.new_device': (e) => ({
    subject: 'New sign-in to your account',
    lines: [
      `Your sign-in was used from a device it had not been used from before: ${e.details.device} (${VIA[e.details.via] ?? 'the API'}).`,
    ],
  }),
  'two_factor.enabled': () => ({
    subject: 'Two-factor authentication is on',
    lines: [
      'Two-factor authentication was turned on for your sign-in.',
      'Keep your recovery codes somewhere safe.',
    ],
  }),
  'two_factor.resync_requested': (_e, context) => ({
    subject: 'Make your authenticator’s codes work again',
    lines: [
      'An owner or admin of your account sent you this link because the codes of your authenticator app are not accepted (its phone’s clock is probably off).',
      context.link
        ? `Open it within ${Math.round(context.link.validMinutes / 60)} hours and enter two codes your app shows one after the other: ${context.link.url}`
        : 'The link of this e-mail has already been used.',
      "Then set your phone's clock to update automatically.",
    ],
  }),
  'two_factor.resynced': (e) => {
    const seconds = e.details.driftSeconds;
    const minutes = Math.round(Math.abs(seconds) / 60);
    const off =
      seconds === 0
        ? 'on time'
        : `${minutes >= 1 ? `about ${minutes} minute${minutes === 1 ? '' : 's'}` : `${Math.abs(seconds)} seconds`} ${seconds > 0 ? 'ahead' : 'behind'}`;
    return {
      subject: 'Your authenticator was realigned',
      lines: [
        `Your authenticator app's codes were realigned with its clock, which is ${off}. Codes from it work again.`,
        "Set your phone's clock to update automatically, so that this is not needed again.",
      ],
    };
  },
  'two_factor.replaced': () => ({
    subject: 'Your authenticator was replaced',
    lines: [
      'A new authenticator app was confirmed for your sign-in. Codes from the old one, and your old recovery codes, no longer work; your other sessions were signed out.',
      'Keep the new recovery codes somewhere safe.',
    ],
  }),
  'passkey.added': (e) => ({
    subject: e.details.twoFactorEnabled ? 'Two-factor authentication is on' : 'A passkey was added',
    lines: [
      `A passkey (“${e.details.name}”) was added to your sign-in.`,
      ...(e.details.twoFactorEnabled
        ? [
            'Two-factor authentication is on from now: your other sessions were signed out.',
            'Keep your recovery codes somewhere safe.',
          ]
        : []),
    ],
  }),
  'passkey.removed': (e) => ({
    subject: 'A passkey was removed',
    lines: [
      `The passkey “${e.details.name}” was removed from your sign-in; your other sessions were signed out.`,
    ],
  }),
  'passkey.clone_detected': (e) => ({
    subject: 'Your passkey may have been copied',
    lines: [
      `A sign-in with your passkey “${e.details.name}” was refused: its authenticator counted backwards, the sign of a copied key.`,
      'Remove that passkey in Account Settings → Passkeys and add a new one.',
    ],
  }),
  'two_factor.disabled': () => ({
    subject: 'Two-factor authentication is off',
    lines: [
      'Two-factor authentication was turned off for your sign-in. Your other sessions were signed out.',
    ],
  }),
  'two_factor.reset': (e) => ({
    subject: e.details.byOperator
      ? 'The platform reset your two-factor authentication'
      : 'An admin reset your two-factor authentication',
    lines: [
      e.details.byOperator
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
      `After ${e.details.failures ?? 'too many'} wrong passwords in a row, signing in with your login is locked.`,
      'An owner or an admin of your account can unlock it by setting you a new password.',
    ],
  }),
  'sign_in.unlocked': (e) => ({
    subject: 'Sign-in is unlocked',
    lines: [
      e.details.byOperator
        ? 'The platform’s operators unlocked signing in with your login. It works again.'
        : 'Signing in with your login works again.',
    ],
  }),
  'recovery_code.used': (e) => ({
    subject: 'A recovery code was used to sign in',
    lines: [`A recovery code was used to sign in. You have ${codes(e.details.remaining)} left.`],
  }),
  'recovery_codes.low': (e) => ({
    subject: 'You are running out of recovery codes',
    lines: [
      `You have ${codes(e.details.remaining)} left. Make a new set in Account Settings → Two-factor authentication.`,
    ],
  }),
  'recovery_codes.regenerated': () => ({
    subject: 'New recovery codes were made',
    lines: ['A new set of recovery codes was made for your sign-in. The old codes no longer work.'],
  }),
  'application_credential.created': (e) => ({
    subject: 'An application credential was created',
    lines: [
      `The application credential "${e.details.name}" was created for your sign-in. Automation can sign in with it without a code, with its roles (${e.details.roles}).`,
    ],
  }),
  'application_credential.deleted': (e) => ({
    subject: 'An application credential was deleted',
    lines: [`The application credential "${e.details.name}" was deleted; its tokens no longer work.`],
  }),
  'password.changed': () => ({
    subject: 'Your password was changed',
    lines: ['The password of your sign-in was changed, and your other sessions were signed out.'],
  }),
  'member.added': (_e, context) => ({
    subject: 'You were added to a Twofold account',
    lines: ['You were added as a member of this account.', ...confirmLink(context)],
  }),
  'sessions.ended': (e) => ({
    subject: e.details.byAdmin ? 'An admin signed you out everywhere' : 'You signed out everywhere else',
    lines: [
      e.details.byAdmin
        ? 'An owner or admin of your account ended all your sessions and Keystone tokens. Sign in again to carry on.'
        : 'All your other sessions and Keystone tokens were ended; the session you did it from stays signed in.',
    ],
  }),
  'second_factor.replay_detected': (e) => ({
    subject: 'Someone entered a code you had just used',
    lines: [
      `A sign-in from ${e.details.replayedFrom} entered the code you had just used (from ${e.details.acceptedFrom}). It was refused.`,
      'Someone probably relayed what you typed into a fake sign-in page, so your password is probably known: change it now in Account Settings, and sign out everywhere else.',
    ],
  }),
  'member.removed': () => ({
    subject: 'You were removed from a Twofold account',
    lines: ['You were removed from this account and can no longer sign in to it.'],
  }),
};

const VIA: Record<string, string> = {
  web: 'the web app',
  api: 'the API',
  keystone: 'an OpenStack client',
};

const reported = (e: SecurityEventOf<'security.not_me_reported'>): string =>
  e.details.reportedEventType ? ` (${e.details.reportedEventType})` : '';

const WORDING_FOR_OTHERS: { [T in SecurityEventType]?: Wording<T> } = {
  'security.not_me_reported': (e, context) => ({
    subject: `${context.login} reported suspicious activity`,
    lines: [
      `${context.login}, a member of your account, reported a security e-mail${reported(e)} as not them: someone else probably knows their password.`,
      'Twofold signed them out everywhere, deleted their application credentials and stopped their password sign-in until they choose a new one. Check the account’s audit log, and talk to them.',
    ],
  }),
};

function confirmLink(context: MailContext): string[] {
  return context.link
    ? [
        `Confirm it within ${Math.round(context.link.validMinutes / 1440)} days (the link works once): ${context.link.url}`,
      ]
    : ['The link of this e-mail has already been used.'];
}

/** Events that are never e-mailed are audited without reading who the member is. */
export const isMailed = (type: SecurityEventType): boolean => WORDING[type] !== null;

export function securityMail(event: SecurityEvent, context: MailContext): SecurityMail | undefined {
  const own = wordingOf(WORDING, event);
  if (!own) return undefined;
  const forOthers = context.copyTo ? wordingOf(WORDING_FOR_OTHERS, event) : undefined;
  const wording = (forOthers ?? own)(event, context);
  const lines =
    context.copyTo && !forOthers
      ? [`A copy of a security e-mail to ${context.login}, a member of your account:`, ...wording.lines]
      : wording.lines;
  const when = `${event.occurredAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`;
  const where = event.ip ? ` from ${event.ip}` : '';
  const link = context.copyTo ? undefined : context.link;
  const notMe =
    link && MAIL_LINK[event.type] === 'not_me'
      ? `If this was not you, open this link: it signs you out everywhere and stops your password until you choose a new one (it works for ${Math.round(link.validMinutes / 1440)} days): ${link.url}`
      : MAIL_LINK[event.type] === 'not_me' && !context.copyTo
        ? 'If this was not you, change your password and contact an admin of your account.'
        : undefined;
  const footer = [
    `Account: ${context.accountName} · Sign-in: ${context.login}`,
    `When: ${when}${where}`,
    ...(notMe ? [notMe] : []),
  ];
  const greeting = `Hello ${context.copyTo ?? context.login},`;
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
