import { messages } from '@twofold/i18n';

export const audit = messages({
  en: {
    'audit.title': 'Audit log',
    'audit.lead': 'Every security event of your account, newest first.',
    'audit.table': 'Audit events',
    'audit.when': 'When',
    'audit.event': 'Event',
    'audit.by': 'By',
    'audit.member': 'Member',
    'audit.from': 'From',
    'audit.formerMember': 'a former member',
    'audit.none': 'No events yet.',
    'audit.older': 'Show older events',
  },
  de: {
    'audit.title': 'Protokoll',
    'audit.lead': 'Alle Sicherheitsereignisse Ihres Kontos, die neuesten zuerst.',
    'audit.table': 'Protokolleinträge',
    'audit.when': 'Zeitpunkt',
    'audit.event': 'Ereignis',
    'audit.by': 'Durch',
    'audit.member': 'Teammitglied',
    'audit.from': 'Herkunft',
    'audit.formerMember': 'ein ehemaliges Teammitglied',
    'audit.none': 'Noch keine Ereignisse.',
    'audit.older': 'Ältere Ereignisse anzeigen',
  },
});
