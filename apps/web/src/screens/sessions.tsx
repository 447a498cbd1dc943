import type { SessionView } from '@twofold/contracts';
import { useEffect, useState } from 'preact/hooks';
import { Alert, Notice, useAction } from '../components/ui';
import { t } from '../i18n';
import { describeVia, timeAgo } from '../lib/format';
import type { SignedIn } from '../lib/me';

/**
 * Account Settings → Where you're signed in: every live session of the member (web, API,
 * OpenStack), this one marked; each other one can be signed out, or all of them at once.
 */
export function Sessions({ api }: SignedIn) {
  const [sessions, setSessions] = useState<SessionView[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const load = () => run(async () => setSessions((await api.call('GET /api/v1/me/sessions')).sessions));
  useEffect(() => void load(), []);

  const end = (session: SessionView) =>
    void run(async () => {
      await api.call('DELETE /api/v1/me/sessions/:sessionId', { params: { sessionId: session.id } });
      setNotice(t('sessions.signedOut', { device: session.device }));
      await load();
    });
  const endOthers = () =>
    void run(async () => {
      await api.call('DELETE /api/v1/me/sessions');
      setNotice(t('sessions.othersSignedOut'));
      await load();
    });
  const others = sessions?.filter((s) => !s.current) ?? [];

  return (
    <section class="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t('sessions.title')}</h2>
      <p>{t('sessions.lead')}</p>
      {notice && <Notice>{notice}</Notice>}
      <Alert error={error} />
      {sessions === null ? (
        <p aria-busy="true">{t('sessions.loading')}</p>
      ) : (
        <ul class="sessions" aria-label={t('sessions.list')}>
          {sessions.map((s) => (
            <li key={s.id} data-testid={s.current ? 'current-session' : 'other-session'}>
              <span>
                <strong>{s.device}</strong>
                {s.current && <span class="badge this-session">{t('sessions.thisSession')}</span>}
                <span class="hint">
                  {' '}
                  · {describeVia(s.via)}
                  {s.ip ? ` · ${s.ip}` : ''} ·{' '}
                  {s.aal === 2 ? t('sessions.withTwoFactor') : t('sessions.passwordOnly')} ·{' '}
                  {t('sessions.active', { ago: timeAgo(s.lastUsedAt) })}
                </span>
              </span>
              {!s.current && (
                <button
                  type="button"
                  class="secondary"
                  disabled={busy}
                  aria-label={t('sessions.signOutLabel', { device: s.device, ago: timeAgo(s.lastUsedAt) })}
                  onClick={() => end(s)}
                >
                  {t('sessions.signOut')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {others.length > 0 && (
        <button type="button" class="secondary" disabled={busy} onClick={endOthers}>
          {t('sessions.signOutOthers')}
        </button>
      )}
    </section>
  );
}
