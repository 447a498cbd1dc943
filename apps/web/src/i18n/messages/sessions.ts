import { messages } from '@twofold/i18n';

export const sessions = messages({
  en: {
    'sessions.title': 'Where you’re signed in',
    'sessions.lead':
      'Sessions in browsers, API clients and OpenStack tools. Sign out any you do not recognise.',
    'sessions.loading': 'Loading…',
    'sessions.list': 'Your sessions',
    'sessions.thisSession': 'This session',
    'sessions.withTwoFactor': 'with 2FA',
    'sessions.passwordOnly': 'password only',
    'sessions.active': 'active {ago}',
    'sessions.signOutLabel': 'Sign out {device}, active {ago}',
    'sessions.signOut': 'Sign out',
    'sessions.signOutOthers': 'Sign out everywhere else',
    'sessions.signedOut': '{device} is signed out.',
    'sessions.othersSignedOut': 'You are signed out everywhere else.',
  },
  de: {
    'sessions.title': 'Wo Sie angemeldet sind',
    'sessions.lead':
      'Sitzungen in Browsern, API-Clients und OpenStack-Tools. Melden Sie jede Sitzung ab, die Sie nicht wiedererkennen.',
    'sessions.loading': 'Wird geladen…',
    'sessions.list': 'Ihre Sitzungen',
    'sessions.thisSession': 'Diese Sitzung',
    'sessions.withTwoFactor': 'mit 2FA',
    'sessions.passwordOnly': 'nur Passwort',
    'sessions.active': 'zuletzt aktiv {ago}',
    'sessions.signOutLabel': '{device} abmelden, zuletzt aktiv {ago}',
    'sessions.signOut': 'Abmelden',
    'sessions.signOutOthers': 'Überall sonst abmelden',
    'sessions.signedOut': '{device} ist abgemeldet.',
    'sessions.othersSignedOut': 'Sie sind überall sonst abgemeldet.',
  },
});
