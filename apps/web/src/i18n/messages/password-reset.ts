import { messages } from '@twofold/i18n';

export const passwordReset = messages({
  en: {
    'passwordReset.title': 'Forgot your password?',
    'passwordReset.remembered': 'Remembered it?',
    'passwordReset.signIn': 'Sign in',
    'passwordReset.sent':
      'If <strong>{login}</strong> signs in here, an e-mail with a link to choose a new password is on its way to its address. The link works once, for 30 minutes. Nothing arrived? Check the spam folder, or ask again in a few minutes.',
    'passwordReset.intro': 'Enter your login: we e-mail you a link to choose a new password.',
    'passwordReset.login': 'Login',
    'passwordReset.sending': 'Sending…',
    'passwordReset.send': 'E-mail me a link',
    'passwordReset.newTitle': 'Choose a new password',
    'passwordReset.signsOut': 'Every session of yours is signed out once it is changed.',
    'passwordReset.newLink': 'Ask for a new link',
    'passwordReset.newPassword': 'New password',
    'passwordReset.passwordHint':
      'At least 12 characters. A passphrase of a few words is easy to type and hard to guess.',
    'passwordReset.code': 'Code from your authenticator app, or a recovery code',
    'passwordReset.codeHint':
      'Only if you use two-factor authentication: a stolen mailbox alone cannot change your password.',
    'passwordReset.saving': 'Saving…',
    'passwordReset.submit': 'Set new password',
  },
  de: {
    'passwordReset.title': 'Passwort vergessen?',
    'passwordReset.remembered': 'Passwort wieder eingefallen?',
    'passwordReset.signIn': 'Anmelden',
    'passwordReset.sent':
      'Falls es den Login <strong>{login}</strong> hier gibt, ist eine E-Mail mit einem Link zum Festlegen eines neuen Passworts an die hinterlegte Adresse unterwegs. Der Link gilt einmalig für 30 Minuten. Nichts angekommen? Sehen Sie im Spam-Ordner nach oder fordern Sie in ein paar Minuten erneut einen Link an.',
    'passwordReset.intro':
      'Geben Sie Ihren Login ein: Wir senden Ihnen per E-Mail einen Link, mit dem Sie ein neues Passwort festlegen.',
    'passwordReset.login': 'Login',
    'passwordReset.sending': 'Wird gesendet…',
    'passwordReset.send': 'Link per E-Mail senden',
    'passwordReset.newTitle': 'Neues Passwort festlegen',
    'passwordReset.signsOut': 'Nach der Änderung werden alle Ihre Sitzungen abgemeldet.',
    'passwordReset.newLink': 'Neuen Link anfordern',
    'passwordReset.newPassword': 'Neues Passwort',
    'passwordReset.passwordHint':
      'Mindestens 12 Zeichen. Eine Passphrase aus ein paar Wörtern ist leicht einzugeben und schwer zu erraten.',
    'passwordReset.code': 'Code aus Ihrer Authenticator-App oder ein Wiederherstellungscode',
    'passwordReset.codeHint':
      'Nur wenn Sie die Zwei-Faktor-Authentifizierung (2FA) nutzen: Mit einem gestohlenen Postfach allein lässt sich Ihr Passwort nicht ändern.',
    'passwordReset.saving': 'Wird gespeichert…',
    'passwordReset.submit': 'Neues Passwort festlegen',
  },
});
