import { messages } from '@twofold/i18n';

export const appCredentials = messages({
  en: {
    'appCredentials.title': 'Application credentials',
    'appCredentials.lead':
      'For automation and the OpenStack tools: a credential signs in without a code, with the roles you give it, until you delete it or it expires.',
    'appCredentials.confirmed': '“{name}” is confirmed: it signs in again.',
    'appCredentials.deleted': '“{name}” is deleted; its tokens no longer work.',
    'appCredentials.loading': 'Loading…',
    'appCredentials.none': 'You have no application credentials.',
    'appCredentials.list': 'Your application credentials',
    'appCredentials.unconfirmed':
      'made before 2FA was turned on, with the password alone: it does not sign in until you keep it (with your second factor) or delete it',
    'appCredentials.keep': 'Keep it',
    'appCredentials.confirmDeleting': 'Confirm deleting {name}',
    'appCredentials.deleteQuestion': 'Delete “{name}”? Automation using it stops.',
    'appCredentials.yesDelete': 'Yes, delete it',
    'appCredentials.delete': 'Delete',
    'appCredentials.why':
      'A credential signs in without a code, so making one needs a session signed in with your second factor.',
    'appCredentials.then': 'make the credential',
    'appCredentials.make.title': 'Make a credential',
    'appCredentials.make.name': 'Name',
    'appCredentials.make.nameHint': 'What will use it, e.g. “ci-deploy”.',
    'appCredentials.make.description': 'Description (optional)',
    'appCredentials.make.expires': 'Expires on (optional)',
    'appCredentials.make.roles': 'Roles its tokens carry',
    'appCredentials.make.submit': 'Make credential',
    'appCredentials.made.shownOnce':
      '<strong>The secret of “{name}” is shown only now.</strong> Store it where your automation reads it, for {login}.',
    'appCredentials.made.id': 'ID',
    'appCredentials.made.copyId': 'Copy ID',
    'appCredentials.made.secret': 'Secret',
    'appCredentials.made.copySecret': 'Copy secret',
    'appCredentials.made.cloudsYaml': 'As a clouds.yaml entry for the OpenStack tools:',
    'appCredentials.made.copyCloudsYaml': 'Copy clouds.yaml',
  },
  de: {
    'appCredentials.title': 'Anwendungszugänge',
    'appCredentials.lead':
      'Für Automatisierung und die OpenStack-Tools: Ein Anwendungszugang (in OpenStack „application credential“) meldet sich ohne Code an, mit den Rollen, die Sie ihm geben, bis Sie ihn löschen oder er abläuft.',
    'appCredentials.confirmed': '„{name}“ ist bestätigt und meldet sich wieder an.',
    'appCredentials.deleted': '„{name}“ ist gelöscht; seine Tokens funktionieren nicht mehr.',
    'appCredentials.loading': 'Wird geladen…',
    'appCredentials.none': 'Sie haben keine Anwendungszugänge.',
    'appCredentials.list': 'Ihre Anwendungszugänge',
    'appCredentials.unconfirmed':
      'vor dem Einschalten der 2FA allein mit dem Passwort angelegt: meldet sich erst wieder an, wenn Sie ihn (mit Ihrem zweiten Faktor) behalten – oder Sie löschen ihn',
    'appCredentials.keep': 'Behalten',
    'appCredentials.confirmDeleting': 'Löschen von {name} bestätigen',
    'appCredentials.deleteQuestion':
      '„{name}“ löschen? Automatisierung, die ihn nutzt, funktioniert dann nicht mehr.',
    'appCredentials.yesDelete': 'Ja, löschen',
    'appCredentials.delete': 'Löschen',
    'appCredentials.why':
      'Ein Anwendungszugang meldet sich ohne Code an. Um einen anzulegen, braucht es daher eine Sitzung, die mit Ihrem zweiten Faktor angemeldet ist.',
    'appCredentials.then': 'den Anwendungszugang anlegen',
    'appCredentials.make.title': 'Anwendungszugang anlegen',
    'appCredentials.make.name': 'Name',
    'appCredentials.make.nameHint': 'Was ihn nutzen wird, z. B. „ci-deploy“.',
    'appCredentials.make.description': 'Beschreibung (optional)',
    'appCredentials.make.expires': 'Läuft ab am (optional)',
    'appCredentials.make.roles': 'Rollen in seinen Tokens',
    'appCredentials.make.submit': 'Zugang anlegen',
    'appCredentials.made.shownOnce':
      '<strong>Das Secret von „{name}“ wird nur jetzt angezeigt.</strong> Hinterlegen Sie es dort, wo Ihre Automatisierung es für {login} ausliest.',
    'appCredentials.made.id': 'ID',
    'appCredentials.made.copyId': 'ID kopieren',
    'appCredentials.made.secret': 'Secret',
    'appCredentials.made.copySecret': 'Secret kopieren',
    'appCredentials.made.cloudsYaml': 'Als clouds.yaml-Eintrag für die OpenStack-Tools:',
    'appCredentials.made.copyCloudsYaml': 'clouds.yaml kopieren',
  },
});
