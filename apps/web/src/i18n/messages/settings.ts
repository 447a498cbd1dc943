import { messages } from '@twofold/i18n';

export const settings = messages({
  en: {
    'settings.title': 'Account settings',
    'settings.lead': 'Signed in as <strong>{login}</strong> ({email}) in <strong>{account}</strong>',
    'settings.required':
      '<strong>Your account requires two-factor authentication.</strong> Turn it on below to continue; everything else opens as soon as it is confirmed.',
    'settings.passkeyRequired.now':
      '<strong>Your account requires a passkey for your role.</strong> Add one below to continue; everything else opens as soon as it is added.',
    'settings.passkeyRequired.by':
      '<strong>Your account requires a passkey for your role by {date}.</strong> Add one below: codes from your authenticator app then no longer sign you in.',
    'settings.twoFactor.title': 'Two-factor authentication (2FA/OTP)',
    'settings.loading': 'Loading…',
    'settings.off.badge': 'Off',
    'settings.off.text':
      'Protect your account with a code from an authenticator app (Google Authenticator, FreeOTP, Aegis, 1Password…) in addition to your password — or add a passkey below.',
    'settings.off.enable': 'Enable 2FA/OTP',
    'settings.enable.step1': 'Step 1 of 4 — confirm it is you',
    'settings.enable.password': 'Your password',
    'settings.continue': 'Continue',
    'settings.cancel': 'Cancel',
    'settings.enable.step2': 'Step 2 of 4 — add Twofold to your authenticator app',
    'settings.enable.qrAlt': 'QR code of your Twofold key: scan it with your authenticator app',
    'settings.enable.scan':
      'Scan the QR code, or type this key into the app (time-based, 6 digits, every 30 s):',
    'settings.enable.addToApp': 'Add to my authenticator app',
    'settings.enable.addToAppHint': 'On this phone: opens your authenticator app with the key filled in.',
    'settings.enable.secretLabel': 'Your secret key',
    'settings.enable.copyKey': 'Copy key',
    'settings.enable.saveCodes': 'Step 3 of 4 — save your recovery codes',
    'settings.enable.codesOnce':
      '<strong>These codes are shown only now.</strong> Each one signs you in once if you lose your phone. Copy or download them and keep them somewhere safe, apart from your phone.',
    'settings.enable.step3': 'Step 4 of 4 — enter a code to turn 2FA on',
    'settings.enable.step3.replace': 'Step 4 of 4 — enter a code from the new app to switch to it',
    'settings.enable.untilThen': 'Until you do, your current authenticator and recovery codes keep working.',
    'settings.enable.code': 'Code from your app',
    'settings.enable.turnOn': 'Turn on 2FA',
    'settings.enable.switch': 'Switch to this authenticator',
    'settings.enable.keepCurrent': 'Keep the current one',
    'settings.enabled':
      'Two-factor authentication is on. From now on, sign in with your password and a code.',
    'settings.replaced':
      'Your new authenticator is set up. Codes from the old one and your old recovery codes no longer work; your other sessions were signed out.',
    'settings.on.badge': 'On',
    'settings.on.status': 'Status',
    'settings.on.since': 'since {date}',
    'settings.on.app': 'Authenticator app',
    'settings.on.app.yes': 'set up',
    'settings.on.app.no': 'not set up',
    'settings.on.recovery': 'Recovery codes',
    'settings.on.recovery.left': '{remaining} of {total} left',
    'settings.on.recovery.low': '{remaining} of {total} left — generate new ones soon',
    'settings.on.passkeys': 'Passkeys',
    'settings.on.passkeys.count': '{count, plural, =0 {none} one {# passkey} other {# passkeys}}',
    'settings.drift.fast':
      'Your authenticator’s clock is about {amount} fast — codes still work; set its time automatically to be safe.',
    'settings.drift.slow':
      'Your authenticator’s clock is about {amount} slow — codes still work; set its time automatically to be safe.',
    'settings.newCodes.once':
      '<strong>Your new recovery codes are shown only now.</strong> Save them before leaving this page.',
    'settings.regenerated': 'New recovery codes are ready; the old ones no longer work.',
    'settings.disabled': 'Two-factor authentication is off. Your other sessions were signed out.',
    'settings.tools.test': 'Test my code',
    'settings.tools.fix': 'My codes don’t work',
    'settings.tools.newPhone': 'New phone?',
    'settings.tools.addApp': 'Authenticator app',
    'settings.tools.recovery': 'Recovery codes',
    'settings.tools.turnOff': 'Turn 2FA off',
    'settings.newPhone.text':
      'Move Twofold to another authenticator app without turning 2FA off: the current one keeps working until the new one is confirmed.',
    'settings.addApp.text':
      'Your second factor is a passkey. Add an authenticator app too, for sign-ins where a passkey cannot be used (its recovery codes then replace yours).',
    'settings.newPhone.button': 'Replace my authenticator',
    'settings.addApp.button': 'Add an authenticator app',
    'settings.recovery.text':
      'Each recovery code signs you in once when your phone is not at hand. New codes void the old ones.',
    'settings.regenerate': 'Regenerate recovery codes',
    'settings.recovery.due':
      'It has been a while since your recovery codes were last seen. Are they still at hand? Check one under “Recovery codes” — it stays usable.',
    'settings.recovery.never': 'never',
    'settings.recovery.issued': 'Made and shown',
    'settings.recovery.lastUsed': 'Last used to sign in',
    'settings.recovery.lastChecked': 'Last checked',
    'settings.recovery.check': 'Check a recovery code',
    'settings.recovery.check.text':
      'Type one of your saved codes to make sure you can find them: it is checked, not used up.',
    'settings.recovery.check.button': 'Check code',
    'settings.recovery.valid':
      'That recovery code is valid, and it still works once. Keep your codes where they are.',
    'settings.recovery.invalid':
      'That is not one of your current recovery codes, or it was already used. If your saved codes are lost, generate new ones.',
    'settings.turnOff.text': 'Turn off 2FA? Your account will be protected by the password alone.',
    'settings.turnOff.confirmLabel': 'Confirm turning 2FA off',
    'settings.turnOff.yes': 'Yes, disable 2FA',
    'settings.turnOff.keep': 'Keep it on',
    'settings.turnOff.button': 'Disable 2FA/OTP',
    'settings.turnOff.policy':
      'Your account’s policy requires two-factor authentication, so it cannot be turned off. An owner or admin sets the policy.',
    'settings.stepUpWhy':
      'To regenerate recovery codes or disable 2FA, your session must have been signed in with your second factor.',
    'settings.stepUpThen': 'manage your 2FA',
    'settings.fix.text':
      'If your phone’s clock is off, its codes are refused. Enter the code your app shows now, wait for the next one, and enter it too: Twofold realigns itself with your phone (up to 10 minutes off).',
    'settings.fix.done':
      'Done: your phone’s clock is {drift}, and its codes work again. Set it to update automatically.',
    'settings.fix.code1': 'Code shown now',
    'settings.fix.code2': 'The next code',
    'settings.fix.code2.hint': 'The code your app shows after the first one (within 30 seconds).',
    'settings.fix.button': 'Realign my codes',
    'settings.test.text': 'Check that your authenticator app gives the right codes.',
    'settings.test.right': 'That code is right: your app is set up correctly.',
    'settings.test.wrong': 'That code is not right. Check that your phone’s clock is set automatically.',
    'settings.test.label': 'Code to test',
    'settings.test.button': 'Test code',
    'settings.email.title': 'E-mail address',
    'settings.email.confirmed': '(confirmed)',
    'settings.email.unconfirmed': '(not confirmed yet: password reset links cannot be sent to it)',
    'settings.email.waiting': 'Waiting for you to open the link sent to <strong>{address}</strong>.',
    'settings.email.sent': 'We sent a link to {address}. Open it to confirm the address.',
    'settings.email.sentNew':
      'We sent a link to {address}. Open it to confirm the address; until then your old one stays.',
    'settings.email.change': 'Change e-mail address',
    'settings.email.new': 'New e-mail address',
    'settings.email.password': 'Password for this change',
    'settings.email.resend': 'Send the confirmation link again',
    'settings.password.title': 'Password',
    'settings.password.change': 'Change password',
    'settings.password.changed': 'Your password is changed. Your other sessions were signed out.',
    'settings.password.differ': 'The two new passwords differ.',
    'settings.password.current': 'Current password',
    'settings.password.new': 'New password',
    'settings.password.new.hint': 'At least 12 characters.',
    'settings.password.repeat': 'New password again',
  },
  de: {
    'settings.title': 'Kontoeinstellungen',
    'settings.lead': 'Angemeldet als <strong>{login}</strong> ({email}) in <strong>{account}</strong>',
    'settings.required':
      '<strong>Ihr Konto verlangt Zwei-Faktor-Authentifizierung.</strong> Schalten Sie sie unten ein, um fortzufahren; alles andere öffnet sich, sobald sie bestätigt ist.',
    'settings.passkeyRequired.now':
      '<strong>Ihr Konto verlangt für Ihre Rolle einen Passkey.</strong> Fügen Sie unten einen hinzu, um fortzufahren; alles andere öffnet sich, sobald er hinzugefügt ist.',
    'settings.passkeyRequired.by':
      '<strong>Ihr Konto verlangt für Ihre Rolle bis {date} einen Passkey.</strong> Fügen Sie unten einen hinzu: Codes aus Ihrer Authenticator-App melden Sie dann nicht mehr an.',
    'settings.twoFactor.title': 'Zwei-Faktor-Authentifizierung (2FA/OTP)',
    'settings.loading': 'Wird geladen…',
    'settings.off.badge': 'Aus',
    'settings.off.text':
      'Schützen Sie Ihr Konto zusätzlich zum Passwort mit einem Code aus einer Authenticator-App (Google Authenticator, FreeOTP, Aegis, 1Password…) — oder fügen Sie unten einen Passkey hinzu.',
    'settings.off.enable': '2FA/OTP einschalten',
    'settings.enable.step1': 'Schritt 1 von 4 — bestätigen Sie, dass Sie es sind',
    'settings.enable.password': 'Ihr Passwort',
    'settings.continue': 'Weiter',
    'settings.cancel': 'Abbrechen',
    'settings.enable.step2': 'Schritt 2 von 4 — Twofold zu Ihrer Authenticator-App hinzufügen',
    'settings.enable.qrAlt': 'QR-Code Ihres Twofold-Schlüssels: Scannen Sie ihn mit Ihrer Authenticator-App',
    'settings.enable.scan':
      'Scannen Sie den QR-Code oder tippen Sie diesen Schlüssel in die App ein (zeitbasiert, 6 Ziffern, alle 30 s):',
    'settings.enable.addToApp': 'Zu meiner Authenticator-App hinzufügen',
    'settings.enable.addToAppHint':
      'Auf diesem Telefon: öffnet Ihre Authenticator-App mit eingetragenem Schlüssel.',
    'settings.enable.secretLabel': 'Ihr geheimer Schlüssel',
    'settings.enable.copyKey': 'Schlüssel kopieren',
    'settings.enable.saveCodes': 'Schritt 3 von 4 — Wiederherstellungscodes speichern',
    'settings.enable.codesOnce':
      '<strong>Diese Codes werden nur jetzt angezeigt.</strong> Jeder meldet Sie einmal an, falls Sie Ihr Telefon verlieren. Kopieren oder laden Sie sie herunter und bewahren Sie sie sicher und getrennt von Ihrem Telefon auf.',
    'settings.enable.step3': 'Schritt 4 von 4 — Code eingeben, um 2FA einzuschalten',
    'settings.enable.step3.replace':
      'Schritt 4 von 4 — Code aus der neuen App eingeben, um zu ihr zu wechseln',
    'settings.enable.untilThen':
      'Bis dahin funktionieren Ihr bisheriger Authenticator und Ihre Wiederherstellungscodes weiter.',
    'settings.enable.code': 'Code aus Ihrer App',
    'settings.enable.turnOn': '2FA einschalten',
    'settings.enable.switch': 'Zu diesem Authenticator wechseln',
    'settings.enable.keepCurrent': 'Den bisherigen behalten',
    'settings.enabled':
      'Die Zwei-Faktor-Authentifizierung ist eingeschaltet. Melden Sie sich ab jetzt mit Passwort und Code an.',
    'settings.replaced':
      'Ihr neuer Authenticator ist eingerichtet. Codes des alten und Ihre alten Wiederherstellungscodes gelten nicht mehr; Ihre anderen Sitzungen wurden abgemeldet.',
    'settings.on.badge': 'Ein',
    'settings.on.status': 'Status',
    'settings.on.since': 'seit {date}',
    'settings.on.app': 'Authenticator-App',
    'settings.on.app.yes': 'eingerichtet',
    'settings.on.app.no': 'nicht eingerichtet',
    'settings.on.recovery': 'Wiederherstellungscodes',
    'settings.on.recovery.left': '{remaining} von {total} übrig',
    'settings.on.recovery.low': '{remaining} von {total} übrig — erzeugen Sie bald neue',
    'settings.on.passkeys': 'Passkeys',
    'settings.on.passkeys.count': '{count, plural, =0 {keine} one {# Passkey} other {# Passkeys}}',
    'settings.drift.fast':
      'Die Uhr Ihres Authenticators geht etwa {amount} vor — Codes funktionieren noch; stellen Sie die Zeit zur Sicherheit automatisch ein.',
    'settings.drift.slow':
      'Die Uhr Ihres Authenticators geht etwa {amount} nach — Codes funktionieren noch; stellen Sie die Zeit zur Sicherheit automatisch ein.',
    'settings.newCodes.once':
      '<strong>Ihre neuen Wiederherstellungscodes werden nur jetzt angezeigt.</strong> Speichern Sie sie, bevor Sie diese Seite verlassen.',
    'settings.regenerated': 'Neue Wiederherstellungscodes sind bereit; die alten gelten nicht mehr.',
    'settings.disabled':
      'Die Zwei-Faktor-Authentifizierung ist ausgeschaltet. Ihre anderen Sitzungen wurden abgemeldet.',
    'settings.tools.test': 'Meinen Code testen',
    'settings.tools.fix': 'Meine Codes funktionieren nicht',
    'settings.tools.newPhone': 'Neues Telefon?',
    'settings.tools.addApp': 'Authenticator-App',
    'settings.tools.recovery': 'Wiederherstellungscodes',
    'settings.tools.turnOff': '2FA ausschalten',
    'settings.newPhone.text':
      'Übertragen Sie Twofold in eine andere Authenticator-App, ohne 2FA auszuschalten: Die bisherige funktioniert weiter, bis die neue bestätigt ist.',
    'settings.addApp.text':
      'Ihr zweiter Faktor ist ein Passkey. Fügen Sie auch eine Authenticator-App hinzu, für Anmeldungen, bei denen kein Passkey möglich ist (deren Wiederherstellungscodes ersetzen dann Ihre).',
    'settings.newPhone.button': 'Meinen Authenticator ersetzen',
    'settings.addApp.button': 'Eine Authenticator-App hinzufügen',
    'settings.recovery.text':
      'Jeder Wiederherstellungscode meldet Sie einmal an, wenn Ihr Telefon nicht zur Hand ist. Neue Codes machen die alten ungültig.',
    'settings.regenerate': 'Wiederherstellungscodes neu erzeugen',
    'settings.recovery.due':
      'Ihre Wiederherstellungscodes wurden länger nicht gesehen. Haben Sie sie noch zur Hand? Prüfen Sie einen unter „Wiederherstellungscodes“ — er bleibt gültig.',
    'settings.recovery.never': 'nie',
    'settings.recovery.issued': 'Erzeugt und angezeigt',
    'settings.recovery.lastUsed': 'Zuletzt zum Anmelden verwendet',
    'settings.recovery.lastChecked': 'Zuletzt geprüft',
    'settings.recovery.check': 'Einen Wiederherstellungscode prüfen',
    'settings.recovery.check.text':
      'Geben Sie einen Ihrer gespeicherten Codes ein, um sicherzugehen, dass Sie sie finden: Er wird geprüft, nicht verbraucht.',
    'settings.recovery.check.button': 'Code prüfen',
    'settings.recovery.valid':
      'Dieser Wiederherstellungscode ist gültig und funktioniert weiterhin einmal. Bewahren Sie Ihre Codes weiter so auf.',
    'settings.recovery.invalid':
      'Das ist keiner Ihrer aktuellen Wiederherstellungscodes, oder er wurde schon verwendet. Sind Ihre gespeicherten Codes verloren, erzeugen Sie neue.',
    'settings.turnOff.text': '2FA ausschalten? Ihr Konto ist dann nur noch durch das Passwort geschützt.',
    'settings.turnOff.confirmLabel': 'Ausschalten der 2FA bestätigen',
    'settings.turnOff.yes': 'Ja, 2FA ausschalten',
    'settings.turnOff.keep': 'Eingeschaltet lassen',
    'settings.turnOff.button': '2FA/OTP ausschalten',
    'settings.turnOff.policy':
      'Die Richtlinie Ihres Kontos verlangt Zwei-Faktor-Authentifizierung, daher lässt sie sich nicht ausschalten. Die Richtlinie legt ein Inhaber oder Admin fest.',
    'settings.stepUpWhy':
      'Um Wiederherstellungscodes neu zu erzeugen oder 2FA auszuschalten, muss Ihre Sitzung mit dem zweiten Faktor angemeldet worden sein.',
    'settings.stepUpThen': 'Ihre 2FA verwalten',
    'settings.fix.text':
      'Geht die Uhr Ihres Telefons falsch, werden seine Codes abgelehnt. Geben Sie den Code ein, den Ihre App gerade zeigt, warten Sie auf den nächsten und geben Sie auch diesen ein: Twofold gleicht sich an Ihr Telefon an (bis zu 10 Minuten Abweichung).',
    'settings.fix.done':
      'Erledigt: Die Uhr Ihres Telefons geht {drift}, und seine Codes funktionieren wieder. Stellen Sie sie auf automatische Aktualisierung.',
    'settings.fix.code1': 'Aktuell angezeigter Code',
    'settings.fix.code2': 'Der nächste Code',
    'settings.fix.code2.hint': 'Der Code, den Ihre App nach dem ersten zeigt (innerhalb von 30 Sekunden).',
    'settings.fix.button': 'Meine Codes angleichen',
    'settings.test.text': 'Prüfen Sie, ob Ihre Authenticator-App die richtigen Codes liefert.',
    'settings.test.right': 'Dieser Code stimmt: Ihre App ist richtig eingerichtet.',
    'settings.test.wrong':
      'Dieser Code stimmt nicht. Prüfen Sie, ob die Uhr Ihres Telefons automatisch gestellt wird.',
    'settings.test.label': 'Zu testender Code',
    'settings.test.button': 'Code testen',
    'settings.email.title': 'E-Mail-Adresse',
    'settings.email.confirmed': '(bestätigt)',
    'settings.email.unconfirmed':
      '(noch nicht bestätigt: Links zum Zurücksetzen des Passworts können nicht an sie gesendet werden)',
    'settings.email.waiting':
      'Wir warten darauf, dass Sie den an <strong>{address}</strong> gesendeten Link öffnen.',
    'settings.email.sent':
      'Wir haben einen Link an {address} gesendet. Öffnen Sie ihn, um die Adresse zu bestätigen.',
    'settings.email.sentNew':
      'Wir haben einen Link an {address} gesendet. Öffnen Sie ihn, um die Adresse zu bestätigen; bis dahin bleibt Ihre alte bestehen.',
    'settings.email.change': 'E-Mail-Adresse ändern',
    'settings.email.new': 'Neue E-Mail-Adresse',
    'settings.email.password': 'Passwort für diese Änderung',
    'settings.email.resend': 'Bestätigungslink erneut senden',
    'settings.password.title': 'Passwort',
    'settings.password.change': 'Passwort ändern',
    'settings.password.changed': 'Ihr Passwort ist geändert. Ihre anderen Sitzungen wurden abgemeldet.',
    'settings.password.differ': 'Die beiden neuen Passwörter unterscheiden sich.',
    'settings.password.current': 'Aktuelles Passwort',
    'settings.password.new': 'Neues Passwort',
    'settings.password.new.hint': 'Mindestens 12 Zeichen.',
    'settings.password.repeat': 'Neues Passwort wiederholen',
  },
});
