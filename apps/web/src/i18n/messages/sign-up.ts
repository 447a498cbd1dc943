import { messages } from '@twofold/i18n';

export const signUp = messages({
  en: {
    'signUp.taken.accountName': 'An account with this name already exists.',
    'signUp.taken.login': 'This login is already taken.',
    'signUp.title': 'Create your account',
    'signUp.accountName': 'Account name',
    'signUp.accountNameHint': 'Your company or team; it is also your OpenStack project name.',
    'signUp.login': 'Login',
    'signUp.email': 'E-mail',
    'signUp.password': 'Password',
    'signUp.passwordHint':
      'At least 12 characters. A passphrase of a few words is easy to type and hard to guess.',
    'signUp.creating': 'Creating…',
    'signUp.submit': 'Create account',
    'signUp.haveAccount': 'Already have an account?',
    'signUp.signIn': 'Sign in',
  },
  de: {
    'signUp.taken.accountName': 'Ein Konto mit diesem Namen gibt es bereits.',
    'signUp.taken.login': 'Dieser Login ist bereits vergeben.',
    'signUp.title': 'Konto erstellen',
    'signUp.accountName': 'Kontoname',
    'signUp.accountNameHint': 'Ihr Unternehmen oder Team; zugleich der Name Ihres OpenStack-Projekts.',
    'signUp.login': 'Login',
    'signUp.email': 'E-Mail',
    'signUp.password': 'Passwort',
    'signUp.passwordHint':
      'Mindestens 12 Zeichen. Eine Passphrase aus ein paar Wörtern ist leicht einzugeben und schwer zu erraten.',
    'signUp.creating': 'Wird erstellt…',
    'signUp.submit': 'Konto erstellen',
    'signUp.haveAccount': 'Sie haben bereits ein Konto?',
    'signUp.signIn': 'Anmelden',
  },
});
