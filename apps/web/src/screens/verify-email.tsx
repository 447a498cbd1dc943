import { useState } from 'preact/hooks';
import { Alert, ScreenTitle, useAction } from '../components/ui';
import { t, tx } from '../i18n';
import { type Api } from '../lib/api';
import { hrefOf } from '../lib/route';

/**
 * The link e-mailed to prove an address. Opening the page does nothing (mail scanners follow
 * links); the member confirms.
 */
export function VerifyEmailScreen({
  api,
  token,
  onVerified,
}: {
  api: Api;
  token: string | null;
  onVerified: () => void;
}) {
  const [email, setEmail] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const confirm = () =>
    void run(async () => {
      setEmail(
        (await api.call('POST /api/v1/security/verify-email', { body: { token: token ?? '' } })).email,
      );
      onVerified();
    });
  return (
    <section class="card narrow" aria-labelledby="verify-email-title">
      <ScreenTitle id="verify-email-title">{t('verifyEmail.title')}</ScreenTitle>
      {email !== null ? (
        <p role="status">{tx('verifyEmail.confirmed', { email })}</p>
      ) : token ? (
        <>
          <p>{t('verifyEmail.intro')}</p>
          <Alert error={error} />
          <button type="button" disabled={busy} onClick={confirm}>
            {busy ? t('verifyEmail.confirming') : t('verifyEmail.confirm')}
          </button>
        </>
      ) : (
        <p>{t('verifyEmail.noToken')}</p>
      )}
      <p class="aside">
        <a href={hrefOf('settings')}>{t('verifyEmail.settings')}</a>
      </p>
    </section>
  );
}
