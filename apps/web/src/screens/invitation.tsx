import { useState } from 'preact/hooks';
import { Alert, Field, ScreenTitle, useAction } from '../components/ui';
import { language, t } from '../i18n';
import { type Api } from '../lib/api';

/**
 * An invitation's page: the invited member chooses its own password (nobody else ever knew one),
 * then signs in — and, if its account requires it, turns 2FA on first.
 */
export function InvitationScreen({
  api,
  token,
  onJoined,
}: {
  api: Api;
  token: string | null;
  onJoined: (login: string) => void;
}) {
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    setMismatch(password !== repeat);
    if (password !== repeat) return;
    void run(async () => {
      onJoined(
        (
          await api.call('POST /api/v1/security/accept-invitation', {
            body: { token: token ?? '', password, language: language() },
          })
        ).login,
      );
    });
  };
  return (
    <section class="card narrow" aria-labelledby="invitation-title">
      <ScreenTitle id="invitation-title">{t('invitation.title')}</ScreenTitle>
      {token ? (
        <>
          <p>{t('invitation.intro')}</p>
          <Alert error={error} />
          {mismatch && (
            <div class="alert error" role="alert">
              <p>{t('invitation.mismatch')}</p>
            </div>
          )}
          <form onSubmit={submit}>
            <Field
              label={t('invitation.password')}
              type="password"
              hint={t('invitation.passwordHint')}
              value={password}
              onValue={setPassword}
              autoComplete="new-password"
              minLength={12}
              required
            />
            <Field
              label={t('invitation.repeat')}
              type="password"
              value={repeat}
              onValue={setRepeat}
              autoComplete="new-password"
              required
            />
            <button type="submit" disabled={busy}>
              {busy ? t('invitation.joining') : t('invitation.join')}
            </button>
          </form>
        </>
      ) : (
        <p>{t('invitation.noToken')}</p>
      )}
    </section>
  );
}
