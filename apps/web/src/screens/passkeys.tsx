import type { Passkey } from '@twofold/contracts';
import { useEffect, useState } from 'preact/hooks';
import { Alert, Disclosure, Field, Notice, RecoveryCodes, useAction } from '../components/ui';
import { t, tx } from '../i18n';
import { timeAgo } from '../lib/format';
import type { SignedIn } from '../lib/me';
import { createPasskey, passkeysSupported } from '../lib/passkeys';

/**
 * Account Settings → Passkeys: add one with a name (the first turns 2FA on and shows recovery
 * codes once), see when each was last used, rename and remove them.
 */
export function Passkeys({
  api,
  me,
  onChanged,
}: SignedIn & { onChanged: (message: string) => Promise<void> }) {
  const [passkeys, setPasskeys] = useState<Passkey[] | null>(null);
  const [name, setName] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const load = () => run(async () => setPasskeys((await api.call('GET /api/v1/me/passkeys')).passkeys));
  useEffect(() => void load(), []);

  const add = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const { options } = await api.call('POST /api/v1/me/passkeys/registration-options', { body: {} });
      const response = await createPasskey(options);
      if (!response) return;
      const added = await api.call('POST /api/v1/me/passkeys', { body: { name: name.trim(), response } });
      setName('');
      await load();
      if (added.recoveryCodes) {
        setCodes(added.recoveryCodes);
        await onChanged(t('passkeys.firstAdded'));
      } else {
        setNotice(t('passkeys.added', { name: added.passkey.name }));
      }
    });
  };
  const rename = (e: Event) => {
    e.preventDefault();
    if (!renaming) return;
    void run(async () => {
      await api.call('PATCH /api/v1/me/passkeys/:id', {
        params: { id: renaming.id },
        body: { name: renaming.name.trim() },
      });
      setRenaming(null);
      await load();
    });
  };
  const remove = (passkey: Passkey) =>
    void run(async () => {
      await api.call('DELETE /api/v1/me/passkeys/:id', { params: { id: passkey.id } });
      await load();
      await onChanged(t('passkeys.removed', { name: passkey.name }));
    });

  return (
    <section class="card" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">{t('passkeys.title')}</h2>
      <p>{t('passkeys.lead')}</p>
      {notice && <Notice>{notice}</Notice>}
      <Alert error={error} />
      {codes && (
        <>
          <div class="alert warning" role="note">
            <p>{tx('passkeys.codesShownOnce')}</p>
          </div>
          <RecoveryCodes codes={codes} login={me.user.login} />
        </>
      )}
      {passkeys === null ? (
        <p aria-busy="true">{t('passkeys.loading')}</p>
      ) : passkeys.length === 0 ? (
        <p class="hint">{t('passkeys.none')}</p>
      ) : (
        <ul class="sessions" aria-label={t('passkeys.list')}>
          {passkeys.map((p) => (
            <li key={p.id} data-testid="passkey">
              {renaming?.id === p.id ? (
                <form onSubmit={rename} class="inline">
                  <Field
                    label={t('passkeys.newName')}
                    value={renaming.name}
                    onValue={(value) => setRenaming({ id: p.id, name: value })}
                    maxLength={64}
                    autoFocus
                    required
                  />
                  <button type="submit" disabled={busy}>
                    {t('passkeys.save')}
                  </button>
                  <button type="button" class="secondary" onClick={() => setRenaming(null)}>
                    {t('passkeys.cancel')}
                  </button>
                </form>
              ) : (
                <>
                  <span>
                    <strong>{p.name}</strong>
                    <span class="hint">
                      {' '}
                      · {p.backedUp ? t('passkeys.synced') : t('passkeys.oneDevice')} ·{' '}
                      {t('passkeys.addedAgo', { ago: timeAgo(p.createdAt) })} ·{' '}
                      {p.lastUsedAt
                        ? t('passkeys.lastUsed', { ago: timeAgo(p.lastUsedAt) })
                        : t('passkeys.neverUsed')}
                    </span>
                  </span>
                  <span class="actions">
                    <button
                      type="button"
                      class="secondary"
                      aria-label={t('passkeys.renameLabel', { name: p.name })}
                      onClick={() => setRenaming({ id: p.id, name: p.name })}
                    >
                      {t('passkeys.rename')}
                    </button>
                    <button
                      type="button"
                      class="danger"
                      disabled={busy}
                      aria-label={t('passkeys.removeLabel', { name: p.name })}
                      onClick={() => remove(p)}
                    >
                      {t('passkeys.remove')}
                    </button>
                  </span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {passkeysSupported() ? (
        <Disclosure
          summary={t('passkeys.newTitle')}
          open={me.session.restricted || me.twoFactor.passkeyDeadline !== null}
        >
          <form onSubmit={add}>
            <Field
              label={t('passkeys.name')}
              hint={t('passkeys.nameHint')}
              value={name}
              onValue={setName}
              maxLength={64}
              required
            />
            <button type="submit" disabled={busy}>
              {busy ? t('passkeys.waiting') : t('passkeys.add')}
            </button>
          </form>
        </Disclosure>
      ) : (
        <p class="hint">{t('passkeys.unsupported')}</p>
      )}
    </section>
  );
}
