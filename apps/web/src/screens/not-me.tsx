import { useState } from 'preact/hooks';
import { Alert, ScreenTitle, useAction } from '../components/ui';
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
        <ScreenTitle id="not-me-title">Your account is secured</ScreenTitle>
        <p>
          <strong>{login}</strong> is signed out everywhere, its application credentials are deleted, and
          signing in with the old password is stopped. The owner and admins of your account were told.
        </p>
        <h2>Choose a new password</h2>
        <RequestResetLink api={api} login={login} />
      </section>
    );
  }
  return (
    <section class="card narrow" aria-labelledby="not-me-title">
      <ScreenTitle id="not-me-title">This wasn’t you?</ScreenTitle>
      {token ? (
        <>
          <p>
            If you did not do what the e-mail told you about, someone else probably knows your password.
            Securing your account will:
          </p>
          <ul>
            <li>sign you out everywhere (every browser, API client and OpenStack token),</li>
            <li>delete your application credentials,</li>
            <li>stop signing in with your password until you choose a new one,</li>
            <li>tell the owner and admins of your account.</li>
          </ul>
          <Alert error={error} />
          <div class="actions">
            <button type="button" class="danger" disabled={busy} onClick={confirm}>
              {busy ? 'Securing…' : 'Secure my account'}
            </button>
            <button type="button" class="secondary" onClick={() => (location.hash = hrefOf('sign-in'))}>
              It was me
            </button>
          </div>
        </>
      ) : (
        <p>Open the “this wasn’t me” link of the security e-mail you received.</p>
      )}
    </section>
  );
}
