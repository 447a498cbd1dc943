import { messages } from '@twofold/i18n';

export const notMe = messages({
  en: {
    'notMe.securedTitle': 'Your account is secured',
    'notMe.secured':
      '<strong>{login}</strong> is signed out everywhere, its application credentials are deleted, and signing in with the old password is stopped. The owner and admins of your account were told.',
    'notMe.newPassword': 'Choose a new password',
    'notMe.title': 'This wasn’t you?',
    'notMe.intro':
      'If you did not do what the e-mail told you about, someone else probably knows your password. Securing your account will:',
    'notMe.signOut': 'sign you out everywhere (every browser, API client and OpenStack token),',
    'notMe.deleteCredentials': 'delete your application credentials,',
    'notMe.stopPassword': 'stop signing in with your password until you choose a new one,',
    'notMe.tell': 'tell the owner and admins of your account.',
    'notMe.securing': 'Securing…',
    'notMe.secure': 'Secure my account',
    'notMe.itWasMe': 'It was me',
    'notMe.noToken': 'Open the “this wasn’t me” link of the security e-mail you received.',
  },
  de: {
    'notMe.securedTitle': 'Ihr Konto ist gesichert',
    'notMe.secured':
      '<strong>{login}</strong> ist überall abgemeldet, die Anwendungszugangsdaten sind gelöscht und die Anmeldung mit dem alten Passwort ist gesperrt. Der Inhaber und die Administratoren Ihres Kontos wurden informiert.',
    'notMe.newPassword': 'Neues Passwort festlegen',
    'notMe.title': 'Das waren nicht Sie?',
    'notMe.intro':
      'Wenn Sie nicht selbst getan haben, worüber die E-Mail Sie informiert hat, kennt wahrscheinlich jemand anderes Ihr Passwort. Wenn Sie Ihr Konto sichern,',
    'notMe.signOut': 'werden Sie überall abgemeldet (alle Browser, API-Clients und OpenStack-Tokens),',
    'notMe.deleteCredentials': 'werden Ihre Anwendungszugangsdaten gelöscht,',
    'notMe.stopPassword': 'wird die Anmeldung mit Ihrem Passwort gesperrt, bis Sie ein neues festlegen,',
    'notMe.tell': 'werden der Inhaber und die Administratoren Ihres Kontos informiert.',
    'notMe.securing': 'Wird gesichert…',
    'notMe.secure': 'Mein Konto sichern',
    'notMe.itWasMe': 'Das war ich',
    'notMe.noToken':
      'Öffnen Sie den Link „Das war ich nicht“ in der Sicherheits-E-Mail, die Sie erhalten haben.',
  },
});
