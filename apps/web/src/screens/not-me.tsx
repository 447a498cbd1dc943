import { useState } from 'preact/hooks';
import { Alert, ScreenTitle, useAction } from '../components/ui';
import { t, tx } from '../i18n';
import { type Api } from '../lib/api';
import { hrefOf } from '../lib/route';
import { RequestResetLink } from './password-reset';

/**
 * "This wasn't me", from the link of a security e-mail. Opening the page does nothing (mail
 * scanners follow links); the member confirms, and is then led on to choose a new password.
 */
export function NotMeScreen({
  api,
  token,
  onSecured,
}: {
  api: Api;
  token: string | null;
  /** Every session ended, this one too. */
  onSecured: () => void;
}) {
  const [login, setLogin] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const confirm = () =>
    void run(async () => {
      setLogin((await api.call('POST /api/v1/security/not-me', { body: { token: token ?? '' } })).login);
      onSecured();
    });

  if (login !== null) {
    return (
      <section class="card narrow" aria-labelledby="not-me-title">
        <ScreenTitle id="not-me-title">{t('notMe.securedTitle')}</ScreenTitle>
        <p>{tx('notMe.secured', { login })}</p>
        <h2>{t('notMe.newPassword')}</h2>
        <RequestResetLink api={api} login={login} />
      </section>
    );
  }
  return (
    <section class="card narrow" aria-labelledby="not-me-title">
      <ScreenTitle id="not-me-title">{t('notMe.title')}</ScreenTitle>
      {token ? (
        <>
          <p>{t('notMe.intro')}</p>
          <ul>
            <li>{t('notMe.signOut')}</li>
            <li>{t('notMe.deleteCredentials')}</li>
            <li>{t('notMe.stopPassword')}</li>
            <li>{t('notMe.tell')}</li>
          </ul>
          <Alert error={error} />
          <div class="actions">
            <button type="button" class="danger" disabled={busy} onClick={confirm}>
              {busy ? t('notMe.securing') : t('notMe.secure')}
            </button>
            <button type="button" class="secondary" onClick={() => (location.hash = hrefOf('sign-in'))}>
              {t('notMe.itWasMe')}
            </button>
          </div>
        </>
      ) : (
        <p>{t('notMe.noToken')}</p>
      )}
    </section>
  );
}
