import { messages } from '@twofold/i18n';

export const verifyEmail = messages({
  en: {
    'verifyEmail.title': 'Confirm your e-mail address',
    'verifyEmail.confirmed':
      '<strong>{email}</strong> is confirmed: security e-mails and their links go there.',
    'verifyEmail.intro':
      'Confirm that this address is yours, and the one your security e-mails should go to.',
    'verifyEmail.confirming': 'Confirming…',
    'verifyEmail.confirm': 'Confirm my address',
    'verifyEmail.noToken': 'Open the link of the e-mail we sent to the address.',
    'verifyEmail.settings': 'Account settings',
  },
  de: {
    'verifyEmail.title': 'Bestätigen Sie Ihre E-Mail-Adresse',
    'verifyEmail.confirmed':
      '<strong>{email}</strong> ist bestätigt: Sicherheits-E-Mails und ihre Links gehen an diese Adresse.',
    'verifyEmail.intro':
      'Bestätigen Sie, dass diese Adresse Ihnen gehört und Ihre Sicherheits-E-Mails an sie gehen sollen.',
    'verifyEmail.confirming': 'Wird bestätigt…',
    'verifyEmail.confirm': 'Meine Adresse bestätigen',
    'verifyEmail.noToken': 'Öffnen Sie den Link in der E-Mail, die wir an diese Adresse gesendet haben.',
    'verifyEmail.settings': 'Kontoeinstellungen',
  },
});
