import { useState } from 'preact/hooks';
import { Alert, Field, ScreenTitle, useAction, useFieldErrors } from '../components/ui';
import { language, t } from '../i18n';
import { ApiError, type Api } from '../lib/api';
import { hrefOf } from '../lib/route';

export function SignUpScreen({
  api,
  onSignedIn,
}: {
  api: Api;
  onSignedIn: (token: string) => Promise<void>;
}) {
  const [accountName, setAccountName] = useState('');
  const [login, setLogin] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const fields = useFieldErrors(error, { account_name_taken: 'accountName', login_taken: 'login' });
  // Conflicts in this app's words; the server names every taken field at once.
  const conflict =
    error instanceof ApiError && (error.code === 'account_name_taken' || error.code === 'login_taken');
  const fieldError = (name: 'accountName' | 'login' | 'email' | 'password') =>
    conflict && fields.field(name) && name !== 'email' && name !== 'password'
      ? t(name === 'login' ? 'signUp.taken.login' : 'signUp.taken.accountName')
      : fields.field(name);
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await api.call('POST /api/v1/accounts', {
        body: { accountName, login, email, password, language: language() },
      });
      const answer = await api.call('POST /api/v1/auth/login', { body: { login, password } });
      // A new owner has no second factor yet: the answer is a session.
      if (answer.status === 'authenticated') await onSignedIn(answer.token);
    });
  };
  return (
    <section class="card narrow">
      <ScreenTitle>{t('signUp.title')}</ScreenTitle>
      <Alert error={fields.rest} />
      <form onSubmit={submit} ref={fields.form}>
        <Field
          label={t('signUp.accountName')}
          error={fieldError('accountName')}
          hint={t('signUp.accountNameHint')}
          value={accountName}
          onValue={setAccountName}
          autoComplete="organization"
          required
        />
        <Field
          label={t('signUp.login')}
          error={fieldError('login')}
          value={login}
          onValue={setLogin}
          autoComplete="username"
          required
        />
        <Field
          label={t('signUp.email')}
          error={fieldError('email')}
          type="email"
          value={email}
          onValue={setEmail}
          autoComplete="email"
          required
        />
        <Field
          label={t('signUp.password')}
          error={fieldError('password')}
          type="password"
          hint={t('signUp.passwordHint')}
          value={password}
          onValue={setPassword}
          autoComplete="new-password"
          minLength={12}
          required
        />
        <button type="submit" disabled={busy}>
          {busy ? t('signUp.creating') : t('signUp.submit')}
        </button>
      </form>
      <p class="aside">
        {t('signUp.haveAccount')} <a href={hrefOf('sign-in')}>{t('signUp.signIn')}</a>
      </p>
    </section>
  );
}
