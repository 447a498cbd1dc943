import { useState } from 'preact/hooks';
import { Alert, Field, Notice, ScreenTitle, useAction } from '../components/ui';
import { t, tx } from '../i18n';
import { type Api, ApiError } from '../lib/api';
import { hrefOf } from '../lib/route';

export function PasswordResetScreen({
  api,
  token,
  onReset,
  onNewLink,
}: {
  api: Api;
  token: string | null;
  onReset: () => void;
  onNewLink: () => void;
}) {
  return token ? (
    <ChooseNewPassword api={api} token={token} onReset={onReset} onNewLink={onNewLink} />
  ) : (
    <section class="card narrow" aria-labelledby="reset-title">
      <ScreenTitle id="reset-title">{t('passwordReset.title')}</ScreenTitle>
      <RequestResetLink api={api} />
      <p class="aside">
        {t('passwordReset.remembered')} <a href={hrefOf('sign-in')}>{t('passwordReset.signIn')}</a>
      </p>
    </section>
  );
}

/** Also where "this wasn't me" continues, with the login filled in. */
export function RequestResetLink({ api, login: known = '' }: { api: Api; login?: string }) {
  const [login, setLogin] = useState(known);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await api.call('POST /api/v1/auth/password-reset', { body: { login } });
      setSentTo(login);
    });
  };
  if (sentTo) {
    return <Notice>{tx('passwordReset.sent', { login: sentTo })}</Notice>;
  }
  return (
    <>
      <p>{t('passwordReset.intro')}</p>
      <Alert error={error} />
      <form onSubmit={submit}>
        <Field
          label={t('passwordReset.login')}
          value={login}
          onValue={setLogin}
          name="username"
          autoComplete="username"
          required
        />
        <button type="submit" disabled={busy}>
          {busy ? t('passwordReset.sending') : t('passwordReset.send')}
        </button>
      </form>
    </>
  );
}

function ChooseNewPassword({
  api,
  token,
  onReset,
  onNewLink,
}: {
  api: Api;
  token: string;
  onReset: () => void;
  onNewLink: () => void;
}) {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      try {
        await api.call('POST /api/v1/auth/password-reset/confirm', {
          body: {
            token,
            newPassword: password,
            ...(code.trim() ? { code: code.trim() } : {}),
          },
        });
      } catch (failure) {
        setCode('');
        throw failure;
      }
      onReset();
    });
  };
  const linkDead = error instanceof ApiError && error.code === 'link_invalid';
  return (
    <section class="card narrow" aria-labelledby="new-password-title">
      <ScreenTitle id="new-password-title">{t('passwordReset.newTitle')}</ScreenTitle>
      <p>{t('passwordReset.signsOut')}</p>
      <Alert error={error} />
      {linkDead ? (
        <button type="button" onClick={onNewLink}>
          {t('passwordReset.newLink')}
        </button>
      ) : (
        <form onSubmit={submit}>
          <Field
            label={t('passwordReset.newPassword')}
            type="password"
            hint={t('passwordReset.passwordHint')}
            value={password}
            onValue={setPassword}
            autoComplete="new-password"
            minLength={12}
            required
          />
          <Field
            label={t('passwordReset.code')}
            hint={t('passwordReset.codeHint')}
            value={code}
            onValue={setCode}
            name="one-time-code"
            autoComplete="one-time-code"
            spellcheck={false}
          />
          <button type="submit" disabled={busy}>
            {busy ? t('passwordReset.saving') : t('passwordReset.submit')}
          </button>
        </form>
      )}
    </section>
  );
}
