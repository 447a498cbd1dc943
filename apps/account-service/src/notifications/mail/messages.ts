import { messages } from '@twofold/i18n';

export const mailMessages = messages({
  en: {
    'mail.greeting': 'Hello {name},',
    'mail.copy': 'A copy of a security e-mail to {login}, a member of your account:',
    'mail.footer.account': 'Account: {account} · Sign-in: {login}',
    'mail.footer.when': 'When: {when} UTC',
    'mail.footer.whenFrom': 'When: {when} UTC from {ip}',
    'mail.notMe.link':
      'If this was not you, open this link: it signs you out everywhere and stops your password until you choose a new one (it works for {days, plural, one {# day} other {# days}}): {url}',
    'mail.notMe.noLink': 'If this was not you, change your password and contact an admin of your account.',
    'mail.linkUsed': 'The link of this e-mail has already been used.',
    'mail.confirmLink':
      'Confirm it within {days, plural, one {# day} other {# days}} (the link works once): {url}',
    'mail.keepCodes': 'Keep your recovery codes somewhere safe.',
    'mail.account.created.subject': 'Confirm your address',
    'mail.account.created.ready':
      'Your account {account} is ready. Confirm that this address is yours: security e-mails with links (a password reset, “this wasn’t me”) go only to a confirmed address.',
    'mail.member.invited.subject': 'You are invited to {account}',
    'mail.member.invited.added':
      'An owner or admin of {account} added you to its team, with the sign-in {login}. Choose your own password to join: nobody else knows it, or ever sees it.',
    'mail.member.invited.link':
      'Open this link within {days, plural, one {# day} other {# days}} to choose it (the link works once): {url}',
    'mail.member.invited.ignore':
      'If you do not expect this invitation, ignore this e-mail: nothing happens without you.',
    'mail.member.added.subject': 'You were added to a Twofold account',
    'mail.member.added.added': 'You were added as a member of this account.',
    'mail.member.removed.subject': 'You were removed from a Twofold account',
    'mail.member.removed.removed': 'You were removed from this account and can no longer sign in to it.',
    'mail.email.change_requested.subject': 'Confirm your new address',
    'mail.email.change_requested.asked':
      'The sign-in {login} asked to use this address from now on. It takes effect once you open the link below; until then the old address stays.',
    'mail.email.change_requested.ignore': 'If you did not ask for this, ignore this e-mail: nothing changes.',
    'mail.email.changed.subject': 'Your e-mail address was changed',
    'mail.email.changed.changed':
      'The address of your sign-in was changed to {to}. Security e-mails go there from now on; this is the last one to this address.',
    'mail.password_reset.requested.subject': 'Choose a new password',
    'mail.password_reset.requested.asked':
      'Someone — hopefully you — asked to reset the password of your sign-in.',
    'mail.password_reset.requested.link':
      'To choose a new password, open this link within {minutes, plural, one {# minute} other {# minutes}} (it works once): {url}',
    'mail.password_reset.requested.twoFactor':
      'If you use two-factor authentication, you will also need a code from your authenticator app or a recovery code.',
    'mail.password_reset.requested.ignore':
      'If you did not ask for this, ignore this e-mail: your password stays as it is.',
    'mail.password_reset.completed.subject': 'Your password was reset',
    'mail.password_reset.completed.reset':
      'The password of your sign-in was reset with a link sent to this address. Every session and token of yours was signed out.',
    'mail.password.changed.subject': 'Your password was changed',
    'mail.password.changed.changed':
      'The password of your sign-in was changed, and your other sessions were signed out.',
    'mail.security.not_me_reported.subject': 'Your account is secured',
    'mail.security.not_me_reported.reported':
      'You reported a security e-mail{reported} as not you. You were signed out everywhere, your application credentials ({deleted}) were deleted, and signing in with your password is stopped.',
    'mail.security.not_me_reported.twoFactorRemoved':
      'The authenticator that was turned on for your sign-in was removed: a password reset will not ask for its codes. Turn two-factor authentication on again with your own phone once you are back in.',
    'mail.security.not_me_reported.next':
      'Choose a new password with “Forgot your password?” on the sign-in page to sign in again. The owner and admins of your account were told.',
    'mail.security.not_me_reported.others.subject': '{login} reported suspicious activity',
    'mail.security.not_me_reported.others.reported':
      '{login}, a member of your account, reported a security e-mail{reported} as not them: someone else probably knows their password.',
    'mail.security.not_me_reported.others.done':
      'Twofold signed them out everywhere, deleted their application credentials and stopped their password sign-in until they choose a new one. Check the account’s audit log, and talk to them.',
    'mail.two_factor.reminder.subject.started': '{account} now requires two-factor authentication',
    'mail.two_factor.reminder.subject.left':
      '{days, plural, one {# day} other {# days}} left to turn on two-factor authentication',
    'mail.two_factor.reminder.by':
      'Your account {account} requires two-factor authentication. Turn it on by {by} UTC ({days, plural, one {# day} other {# days}} left): Account Settings → Enable 2FA/OTP, with any authenticator app.',
    'mail.two_factor.reminder.now':
      'Your account {account} requires two-factor authentication. Turn it on when you next sign in: until you do, you can only sign in to turn it on.',
    'mail.two_factor.reminder.after': 'After that date you can still sign in, but only to turn it on.',
    'mail.sign_in.new_device.subject': 'New sign-in to your account',
    'mail.sign_in.new_device.used':
      'Your sign-in was used from a device it had not been used from before: {device} ({via, select, web {the web app} keystone {an OpenStack client} other {the API}}).',
    'mail.two_factor.enabled.subject': 'Two-factor authentication is on',
    'mail.two_factor.enabled.enabled': 'Two-factor authentication was turned on for your sign-in.',
    'mail.two_factor.resync_requested.subject': 'Make your authenticator’s codes work again',
    'mail.two_factor.resync_requested.why':
      'An owner or admin of your account sent you this link because the codes of your authenticator app are not accepted (its phone’s clock is probably off).',
    'mail.two_factor.resync_requested.link':
      'Open it within {hours, plural, one {# hour} other {# hours}} and enter two codes your app shows one after the other: {url}',
    'mail.two_factor.resync_requested.then': "Then set your phone's clock to update automatically.",
    'mail.two_factor.resynced.subject': 'Your authenticator was realigned',
    'mail.two_factor.resynced.realigned':
      "Your authenticator app's codes were realigned with its clock, which is {unit, select, none {on time} minutes {about {amount, plural, one {# minute} other {# minutes}} {direction, select, ahead {ahead} other {behind}}} other {{amount, plural, one {# second} other {# seconds}} {direction, select, ahead {ahead} other {behind}}}}. Codes from it work again.",
    'mail.two_factor.resynced.clock':
      "Set your phone's clock to update automatically, so that this is not needed again.",
    'mail.two_factor.replaced.subject': 'Your authenticator was replaced',
    'mail.two_factor.replaced.replaced':
      'A new authenticator app was confirmed for your sign-in. Codes from the old one, and your old recovery codes, no longer work; your other sessions were signed out.',
    'mail.two_factor.replaced.keep': 'Keep the new recovery codes somewhere safe.',
    'mail.passkey.added.subject': 'A passkey was added',
    'mail.passkey.added.added': 'A passkey (“{name}”) was added to your sign-in.',
    'mail.passkey.added.twoFactorOn':
      'Two-factor authentication is on from now: your other sessions were signed out.',
    'mail.passkey.removed.subject': 'A passkey was removed',
    'mail.passkey.removed.removed':
      'The passkey “{name}” was removed from your sign-in; your other sessions were signed out.',
    'mail.passkey.clone_detected.subject': 'Your passkey may have been copied',
    'mail.passkey.clone_detected.refused':
      'A sign-in with your passkey “{name}” was refused: its authenticator counted backwards, the sign of a copied key.',
    'mail.passkey.clone_detected.remove':
      'Remove that passkey in Account Settings → Passkeys and add a new one.',
    'mail.two_factor.disabled.subject': 'Two-factor authentication is off',
    'mail.two_factor.disabled.disabled':
      'Two-factor authentication was turned off for your sign-in. Your other sessions were signed out.',
    'mail.two_factor.reset.subject.operator': 'The platform reset your two-factor authentication',
    'mail.two_factor.reset.subject.admin': 'An admin reset your two-factor authentication',
    'mail.two_factor.reset.operator':
      'The platform’s operators reset two-factor authentication for your sign-in, at your account’s request. You can set it up again in Account Settings.',
    'mail.two_factor.reset.admin':
      'An admin of your account reset two-factor authentication for your sign-in. You can set it up again in Account Settings.',
    'mail.two_factor.locked.subject': 'Your second factor is locked',
    'mail.two_factor.locked.locked': 'After too many wrong codes in a row, your second factor is locked.',
    'mail.two_factor.locked.unlock':
      'Sign in with a recovery code to unlock it, or ask an admin of your account to reset two-factor authentication.',
    'mail.two_factor.unlocked.subject': 'Your second factor was unlocked',
    'mail.two_factor.unlocked.unlocked':
      'The platform’s operators unlocked your second factor. Codes from your authenticator app work again.',
    'mail.sign_in.locked.subject': 'Sign-in was locked after repeated wrong passwords',
    'mail.sign_in.locked.counted':
      'After {failures} wrong passwords in a row, signing in with your login is locked.',
    'mail.sign_in.locked.uncounted':
      'After too many wrong passwords in a row, signing in with your login is locked.',
    'mail.sign_in.locked.unlock':
      'An owner or an admin of your account can unlock it by setting you a new password.',
    'mail.sign_in.unlocked.subject': 'Sign-in is unlocked',
    'mail.sign_in.unlocked.operator':
      'The platform’s operators unlocked signing in with your login. It works again.',
    'mail.sign_in.unlocked.unlocked': 'Signing in with your login works again.',
    'mail.recovery_code.used.subject': 'A recovery code was used to sign in',
    'mail.recovery_code.used.used':
      'A recovery code was used to sign in. You have {remaining, plural, one {# recovery code} other {# recovery codes}} left.',
    'mail.recovery_codes.low.subject': 'You are running out of recovery codes',
    'mail.recovery_codes.low.left':
      'You have {remaining, plural, one {# recovery code} other {# recovery codes}} left. Make a new set in Account Settings → Two-factor authentication.',
    'mail.recovery_codes.regenerated.subject': 'New recovery codes were made',
    'mail.recovery_codes.regenerated.made':
      'A new set of recovery codes was made for your sign-in. The old codes no longer work.',
    'mail.application_credential.created.subject': 'An application credential was created',
    'mail.application_credential.created.created':
      'The application credential "{name}" was created for your sign-in. Automation can sign in with it without a code, with its roles ({roles}).',
    'mail.application_credential.deleted.subject': 'An application credential was deleted',
    'mail.application_credential.deleted.deleted':
      'The application credential "{name}" was deleted; its tokens no longer work.',
    'mail.sessions.ended.subject.admin': 'An admin signed you out everywhere',
    'mail.sessions.ended.subject.own': 'You signed out everywhere else',
    'mail.sessions.ended.admin':
      'An owner or admin of your account ended all your sessions and Keystone tokens. Sign in again to carry on.',
    'mail.sessions.ended.own':
      'All your other sessions and Keystone tokens were ended; the session you did it from stays signed in.',
    'mail.second_factor.replay_detected.subject': 'Someone entered a code you had just used',
    'mail.second_factor.replay_detected.refused':
      'A sign-in from {replayedFrom} entered the code you had just used (from {acceptedFrom}). It was refused.',
    'mail.second_factor.replay_detected.advice':
      'Someone probably relayed what you typed into a fake sign-in page, so your password is probably known: change it now in Account Settings, and sign out everywhere else.',
  },
  de: {
    'mail.greeting': 'Guten Tag {name},',
    'mail.copy': 'Eine Kopie einer Sicherheits-E-Mail an {login}, ein Mitglied Ihres Kontos:',
    'mail.footer.account': 'Konto: {account} · Anmeldename: {login}',
    'mail.footer.when': 'Zeitpunkt: {when} UTC',
    'mail.footer.whenFrom': 'Zeitpunkt: {when} UTC, von der IP-Adresse {ip}',
    'mail.notMe.link':
      'Falls Sie das nicht waren, öffnen Sie diesen Link („Das war ich nicht“): Er meldet Sie überall ab und sperrt Ihr Passwort, bis Sie ein neues wählen (er gilt {days, plural, one {# Tag} other {# Tage}}): {url}',
    'mail.notMe.noLink':
      'Falls Sie das nicht waren, ändern Sie Ihr Passwort und wenden Sie sich an einen Admin Ihres Kontos.',
    'mail.linkUsed': 'Der Link dieser E-Mail wurde bereits verwendet.',
    'mail.confirmLink':
      'Bestätigen Sie die Adresse innerhalb von {days, plural, one {# Tag} other {# Tagen}} (der Link gilt nur einmal): {url}',
    'mail.keepCodes': 'Bewahren Sie Ihre Wiederherstellungscodes an einem sicheren Ort auf.',
    'mail.account.created.subject': 'Bestätigen Sie Ihre E-Mail-Adresse',
    'mail.account.created.ready':
      'Ihr Konto {account} ist eingerichtet. Bestätigen Sie, dass diese Adresse Ihnen gehört: Sicherheits-E-Mails mit Links (zum Zurücksetzen des Passworts, „Das war ich nicht“) gehen nur an eine bestätigte Adresse.',
    'mail.member.invited.subject': 'Einladung zu {account}',
    'mail.member.invited.added':
      'Ein Inhaber oder Admin von {account} hat Sie mit dem Anmeldenamen {login} zum Team hinzugefügt. Wählen Sie Ihr eigenes Passwort, um beizutreten: Niemand sonst kennt es oder bekommt es je zu sehen.',
    'mail.member.invited.link':
      'Öffnen Sie diesen Link innerhalb von {days, plural, one {# Tag} other {# Tagen}}, um es zu wählen (der Link gilt nur einmal): {url}',
    'mail.member.invited.ignore':
      'Falls Sie diese Einladung nicht erwarten, ignorieren Sie diese E-Mail: Ohne Sie geschieht nichts.',
    'mail.member.added.subject': 'Sie wurden zu einem Twofold-Konto hinzugefügt',
    'mail.member.added.added': 'Sie wurden als Mitglied zu diesem Konto hinzugefügt.',
    'mail.member.removed.subject': 'Sie wurden aus einem Twofold-Konto entfernt',
    'mail.member.removed.removed':
      'Sie wurden aus diesem Konto entfernt und können sich dort nicht mehr anmelden.',
    'mail.email.change_requested.subject': 'Bestätigen Sie Ihre neue E-Mail-Adresse',
    'mail.email.change_requested.asked':
      'Für den Anmeldenamen {login} wurde beantragt, künftig diese Adresse zu verwenden. Die Änderung gilt, sobald Sie den Link unten öffnen; bis dahin bleibt die alte Adresse bestehen.',
    'mail.email.change_requested.ignore':
      'Falls Sie das nicht beantragt haben, ignorieren Sie diese E-Mail: Es ändert sich nichts.',
    'mail.email.changed.subject': 'Ihre E-Mail-Adresse wurde geändert',
    'mail.email.changed.changed':
      'Die E-Mail-Adresse Ihres Zugangs wurde in {to} geändert. Sicherheits-E-Mails gehen ab jetzt dorthin; dies ist die letzte an diese Adresse.',
    'mail.password_reset.requested.subject': 'Wählen Sie ein neues Passwort',
    'mail.password_reset.requested.asked':
      'Jemand – hoffentlich Sie – hat beantragt, das Passwort Ihres Zugangs zurückzusetzen.',
    'mail.password_reset.requested.link':
      'Um ein neues Passwort zu wählen, öffnen Sie diesen Link innerhalb von {minutes, plural, one {# Minute} other {# Minuten}} (er gilt nur einmal): {url}',
    'mail.password_reset.requested.twoFactor':
      'Wenn Sie die Zwei-Faktor-Authentifizierung (2FA) nutzen, brauchen Sie außerdem einen Code aus Ihrer Authenticator-App oder einen Wiederherstellungscode.',
    'mail.password_reset.requested.ignore':
      'Falls Sie das nicht beantragt haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.',
    'mail.password_reset.completed.subject': 'Ihr Passwort wurde zurückgesetzt',
    'mail.password_reset.completed.reset':
      'Das Passwort Ihres Zugangs wurde über einen Link zurückgesetzt, der an diese Adresse gesendet wurde. Alle Ihre Sitzungen und Tokens wurden beendet.',
    'mail.password.changed.subject': 'Ihr Passwort wurde geändert',
    'mail.password.changed.changed':
      'Das Passwort Ihres Zugangs wurde geändert, und Ihre anderen Sitzungen wurden beendet.',
    'mail.security.not_me_reported.subject': 'Ihr Konto ist gesichert',
    'mail.security.not_me_reported.reported':
      'Sie haben eine Sicherheits-E-Mail{reported} mit „Das war ich nicht“ gemeldet. Sie wurden überall abgemeldet, Ihre Anwendungszugänge ({deleted}) wurden gelöscht, und die Anmeldung mit Ihrem Passwort ist gesperrt.',
    'mail.security.not_me_reported.twoFactorRemoved':
      'Die für Ihren Zugang eingerichtete Authenticator-App wurde entfernt: Beim Zurücksetzen des Passworts werden ihre Codes nicht abgefragt. Aktivieren Sie die Zwei-Faktor-Authentifizierung wieder mit Ihrem eigenen Telefon, sobald Sie wieder angemeldet sind.',
    'mail.security.not_me_reported.next':
      'Um sich wieder anzumelden, wählen Sie auf der Anmeldeseite mit „Passwort vergessen?“ ein neues Passwort. Der Inhaber und die Admins Ihres Kontos wurden informiert.',
    'mail.security.not_me_reported.others.subject': '{login} hat verdächtige Aktivitäten gemeldet',
    'mail.security.not_me_reported.others.reported':
      '{login}, ein Mitglied Ihres Kontos, hat eine Sicherheits-E-Mail{reported} mit „Das war ich nicht“ gemeldet: Vermutlich kennt jemand anderes das Passwort.',
    'mail.security.not_me_reported.others.done':
      'Twofold hat das Mitglied überall abgemeldet, seine Anwendungszugänge gelöscht und die Anmeldung mit seinem Passwort gesperrt, bis es ein neues wählt. Prüfen Sie das Protokoll des Kontos und sprechen Sie mit dem Mitglied.',
    'mail.two_factor.reminder.subject.started': '{account} verlangt jetzt die Zwei-Faktor-Authentifizierung',
    'mail.two_factor.reminder.subject.left':
      'Noch {days, plural, one {# Tag} other {# Tage}}, um die Zwei-Faktor-Authentifizierung zu aktivieren',
    'mail.two_factor.reminder.by':
      'Ihr Konto {account} verlangt die Zwei-Faktor-Authentifizierung. Aktivieren Sie sie bis {by} UTC (noch {days, plural, one {# Tag} other {# Tage}}): Kontoeinstellungen → 2FA/OTP aktivieren, mit einer beliebigen Authenticator-App.',
    'mail.two_factor.reminder.now':
      'Ihr Konto {account} verlangt die Zwei-Faktor-Authentifizierung. Aktivieren Sie sie bei Ihrer nächsten Anmeldung: Bis dahin können Sie sich nur anmelden, um sie zu aktivieren.',
    'mail.two_factor.reminder.after':
      'Nach diesem Zeitpunkt können Sie sich weiterhin anmelden, aber nur, um sie zu aktivieren.',
    'mail.sign_in.new_device.subject': 'Neue Anmeldung bei Ihrem Konto',
    'mail.sign_in.new_device.used':
      'Ihr Zugang wurde auf einem Gerät verwendet, auf dem er bisher nicht verwendet wurde: {device} (über {via, select, web {die Web-App} keystone {einen OpenStack-Client} other {die API}}).',
    'mail.two_factor.enabled.subject': 'Die Zwei-Faktor-Authentifizierung ist aktiviert',
    'mail.two_factor.enabled.enabled':
      'Die Zwei-Faktor-Authentifizierung (2FA) wurde für Ihren Zugang aktiviert.',
    'mail.two_factor.resync_requested.subject': 'Die Codes Ihrer Authenticator-App wieder nutzbar machen',
    'mail.two_factor.resync_requested.why':
      'Ein Inhaber oder Admin Ihres Kontos hat Ihnen diesen Link gesendet, weil die Codes Ihrer Authenticator-App nicht akzeptiert werden (die Uhr des Telefons geht vermutlich falsch).',
    'mail.two_factor.resync_requested.link':
      'Öffnen Sie ihn innerhalb von {hours, plural, one {# Stunde} other {# Stunden}} und geben Sie zwei Codes ein, die Ihre App nacheinander anzeigt: {url}',
    'mail.two_factor.resync_requested.then':
      'Stellen Sie danach die Uhr Ihres Telefons so ein, dass sie sich automatisch aktualisiert.',
    'mail.two_factor.resynced.subject': 'Ihre Authenticator-App wurde neu abgeglichen',
    'mail.two_factor.resynced.realigned':
      'Die Codes Ihrer Authenticator-App wurden mit der Uhr des Telefons abgeglichen, die {unit, select, none {richtig geht} minutes {etwa {amount, plural, one {# Minute} other {# Minuten}} {direction, select, ahead {vorgeht} other {nachgeht}}} other {{amount, plural, one {# Sekunde} other {# Sekunden}} {direction, select, ahead {vorgeht} other {nachgeht}}}}. Ihre Codes funktionieren wieder.',
    'mail.two_factor.resynced.clock':
      'Stellen Sie die Uhr Ihres Telefons so ein, dass sie sich automatisch aktualisiert, damit dies nicht noch einmal nötig wird.',
    'mail.two_factor.replaced.subject': 'Ihre Authenticator-App wurde ersetzt',
    'mail.two_factor.replaced.replaced':
      'Für Ihren Zugang wurde eine neue Authenticator-App bestätigt. Codes der alten App und Ihre alten Wiederherstellungscodes funktionieren nicht mehr; Ihre anderen Sitzungen wurden beendet.',
    'mail.two_factor.replaced.keep':
      'Bewahren Sie die neuen Wiederherstellungscodes an einem sicheren Ort auf.',
    'mail.passkey.added.subject': 'Ein Passkey wurde hinzugefügt',
    'mail.passkey.added.added': 'Ihrem Zugang wurde ein Passkey („{name}“) hinzugefügt.',
    'mail.passkey.added.twoFactorOn':
      'Die Zwei-Faktor-Authentifizierung ist ab jetzt aktiviert: Ihre anderen Sitzungen wurden beendet.',
    'mail.passkey.removed.subject': 'Ein Passkey wurde entfernt',
    'mail.passkey.removed.removed':
      'Der Passkey „{name}“ wurde von Ihrem Zugang entfernt; Ihre anderen Sitzungen wurden beendet.',
    'mail.passkey.clone_detected.subject': 'Ihr Passkey wurde möglicherweise kopiert',
    'mail.passkey.clone_detected.refused':
      'Eine Anmeldung mit Ihrem Passkey „{name}“ wurde abgelehnt: Sein Authenticator hat rückwärts gezählt – das Zeichen eines kopierten Schlüssels.',
    'mail.passkey.clone_detected.remove':
      'Entfernen Sie diesen Passkey unter Kontoeinstellungen → Passkeys und fügen Sie einen neuen hinzu.',
    'mail.two_factor.disabled.subject': 'Die Zwei-Faktor-Authentifizierung ist deaktiviert',
    'mail.two_factor.disabled.disabled':
      'Die Zwei-Faktor-Authentifizierung wurde für Ihren Zugang deaktiviert. Ihre anderen Sitzungen wurden beendet.',
    'mail.two_factor.reset.subject.operator':
      'Die Plattform hat Ihre Zwei-Faktor-Authentifizierung zurückgesetzt',
    'mail.two_factor.reset.subject.admin': 'Ein Admin hat Ihre Zwei-Faktor-Authentifizierung zurückgesetzt',
    'mail.two_factor.reset.operator':
      'Die Betreiber der Plattform haben auf Wunsch Ihres Kontos die Zwei-Faktor-Authentifizierung für Ihren Zugang zurückgesetzt. Sie können sie in den Kontoeinstellungen neu einrichten.',
    'mail.two_factor.reset.admin':
      'Ein Admin Ihres Kontos hat die Zwei-Faktor-Authentifizierung für Ihren Zugang zurückgesetzt. Sie können sie in den Kontoeinstellungen neu einrichten.',
    'mail.two_factor.locked.subject': 'Ihr zweiter Faktor ist gesperrt',
    'mail.two_factor.locked.locked':
      'Nach zu vielen falschen Codes in Folge ist Ihr zweiter Faktor gesperrt.',
    'mail.two_factor.locked.unlock':
      'Melden Sie sich mit einem Wiederherstellungscode an, um ihn zu entsperren, oder bitten Sie einen Admin Ihres Kontos, Ihre Zwei-Faktor-Authentifizierung zurückzusetzen.',
    'mail.two_factor.unlocked.subject': 'Ihr zweiter Faktor wurde entsperrt',
    'mail.two_factor.unlocked.unlocked':
      'Die Betreiber der Plattform haben Ihren zweiten Faktor entsperrt. Codes aus Ihrer Authenticator-App funktionieren wieder.',
    'mail.sign_in.locked.subject': 'Die Anmeldung wurde nach wiederholt falschen Passwörtern gesperrt',
    'mail.sign_in.locked.counted':
      'Nach {failures} falschen Passwörtern in Folge ist die Anmeldung mit Ihrem Anmeldenamen gesperrt.',
    'mail.sign_in.locked.uncounted':
      'Nach zu vielen falschen Passwörtern in Folge ist die Anmeldung mit Ihrem Anmeldenamen gesperrt.',
    'mail.sign_in.locked.unlock':
      'Ein Inhaber oder Admin Ihres Kontos kann sie entsperren, indem er Ihnen ein neues Passwort setzt.',
    'mail.sign_in.unlocked.subject': 'Die Anmeldung ist entsperrt',
    'mail.sign_in.unlocked.operator':
      'Die Betreiber der Plattform haben die Anmeldung mit Ihrem Anmeldenamen entsperrt. Sie funktioniert wieder.',
    'mail.sign_in.unlocked.unlocked': 'Die Anmeldung mit Ihrem Anmeldenamen funktioniert wieder.',
    'mail.recovery_code.used.subject': 'Zur Anmeldung wurde ein Wiederherstellungscode verwendet',
    'mail.recovery_code.used.used':
      'Zur Anmeldung wurde ein Wiederherstellungscode verwendet. Sie haben {remaining, plural, =0 {keine Wiederherstellungscodes mehr} one {noch # Wiederherstellungscode} other {noch # Wiederherstellungscodes}}.',
    'mail.recovery_codes.low.subject': 'Ihre Wiederherstellungscodes gehen zur Neige',
    'mail.recovery_codes.low.left':
      'Sie haben {remaining, plural, =0 {keine Wiederherstellungscodes mehr} one {noch # Wiederherstellungscode} other {noch # Wiederherstellungscodes}}. Erzeugen Sie neue unter Kontoeinstellungen → Zwei-Faktor-Authentifizierung.',
    'mail.recovery_codes.regenerated.subject': 'Neue Wiederherstellungscodes wurden erzeugt',
    'mail.recovery_codes.regenerated.made':
      'Für Ihren Zugang wurden neue Wiederherstellungscodes erzeugt. Die alten Codes funktionieren nicht mehr.',
    'mail.application_credential.created.subject': 'Ein Anwendungszugang wurde erstellt',
    'mail.application_credential.created.created':
      'Für Ihren Zugang wurde der Anwendungszugang „{name}“ erstellt. Automatisierungen können sich damit ohne Code anmelden, mit seinen Rollen ({roles}).',
    'mail.application_credential.deleted.subject': 'Ein Anwendungszugang wurde gelöscht',
    'mail.application_credential.deleted.deleted':
      'Der Anwendungszugang „{name}“ wurde gelöscht; seine Tokens funktionieren nicht mehr.',
    'mail.sessions.ended.subject.admin': 'Ein Admin hat Sie überall abgemeldet',
    'mail.sessions.ended.subject.own': 'Sie haben sich überall sonst abgemeldet',
    'mail.sessions.ended.admin':
      'Ein Inhaber oder Admin Ihres Kontos hat alle Ihre Sitzungen und Keystone-Tokens beendet. Melden Sie sich erneut an, um weiterzumachen.',
    'mail.sessions.ended.own':
      'Alle Ihre anderen Sitzungen und Keystone-Tokens wurden beendet; die Sitzung, in der Sie das getan haben, bleibt angemeldet.',
    'mail.second_factor.replay_detected.subject':
      'Jemand hat einen Code eingegeben, den Sie gerade verwendet hatten',
    'mail.second_factor.replay_detected.refused':
      'Bei einer Anmeldung von {replayedFrom} wurde der Code eingegeben, den Sie gerade verwendet hatten (von {acceptedFrom}). Sie wurde abgelehnt.',
    'mail.second_factor.replay_detected.advice':
      'Vermutlich hat jemand Ihre Eingaben auf einer gefälschten Anmeldeseite weitergeleitet, Ihr Passwort ist also wahrscheinlich bekannt: Ändern Sie es jetzt in den Kontoeinstellungen und melden Sie sich überall sonst ab.',
  },
});

export type MailKey = keyof typeof mailMessages.en;
