import { useState } from 'preact/hooks';
import { Alert, ScreenTitle, useAction } from '../components/ui';
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
      <ScreenTitle id="verify-email-title">Confirm your e-mail address</ScreenTitle>
      {email !== null ? (
        <p role="status">
          <strong>{email}</strong> is confirmed: security e-mails and their links go there.
        </p>
      ) : token ? (
        <>
          <p>Confirm that this address is yours, and the one your security e-mails should go to.</p>
          <Alert error={error} />
          <button type="button" disabled={busy} onClick={confirm}>
            {busy ? 'Confirming…' : 'Confirm my address'}
          </button>
        </>
      ) : (
        <p>Open the link of the e-mail we sent to the address.</p>
      )}
      <p class="aside">
        <a href={hrefOf('settings')}>Account settings</a>
      </p>
    </section>
  );
}
