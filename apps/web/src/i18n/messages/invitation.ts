import { messages } from '@twofold/i18n';

export const invitation = messages({
  en: {
    'invitation.title': 'Join your team',
    'invitation.intro': 'You were invited to a Twofold account. Choose the password you will sign in with.',
    'invitation.mismatch': 'The two passwords differ.',
    'invitation.password': 'Choose a password',
    'invitation.passwordHint': 'At least 12 characters.',
    'invitation.repeat': 'The password again',
    'invitation.joining': 'Joining…',
    'invitation.join': 'Join',
    'invitation.noToken': 'Open the link of the invitation you were e-mailed.',
  },
  de: {
    'invitation.title': 'Treten Sie Ihrem Team bei',
    'invitation.intro':
      'Sie wurden zu einem Twofold-Konto eingeladen. Wählen Sie das Passwort, mit dem Sie sich anmelden werden.',
    'invitation.mismatch': 'Die beiden Passwörter stimmen nicht überein.',
    'invitation.password': 'Passwort wählen',
    'invitation.passwordHint': 'Mindestens 12 Zeichen.',
    'invitation.repeat': 'Passwort wiederholen',
    'invitation.joining': 'Beitritt läuft…',
    'invitation.join': 'Beitreten',
    'invitation.noToken': 'Öffnen Sie den Link aus der Einladung, die Sie per E-Mail erhalten haben.',
  },
});
