import type { Passkey } from '@twofold/contracts';
import { useEffect, useState } from 'preact/hooks';
import { Alert, Field, Notice, RecoveryCodes, useAction } from '../components/ui';
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
        await onChanged(
          'Your passkey is added: two-factor authentication is on. Save your recovery codes now.',
        );
      } else {
        setNotice(`“${added.passkey.name}” is added.`);
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
      await onChanged(`“${passkey.name}” is removed. Your other sessions were signed out.`);
    });

  return (
    <section class="card" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">Passkeys</h2>
      <p>
        Sign in with your fingerprint, face or screen lock, or a security key. A passkey works only on this
        site, so a phishing page cannot use it.
      </p>
      {notice && <Notice>{notice}</Notice>}
      <Alert error={error} />
      {codes && (
        <>
          <div class="alert warning" role="note">
            <p>
              <strong>Your recovery codes are shown only now.</strong> Each one signs you in once if you lose
              your passkeys.
            </p>
          </div>
          <RecoveryCodes codes={codes} login={me.user.login} />
        </>
      )}
      {passkeys === null ? (
        <p aria-busy="true">Loading…</p>
      ) : passkeys.length === 0 ? (
        <p class="hint">You have no passkeys yet.</p>
      ) : (
        <ul class="sessions" aria-label="Your passkeys">
          {passkeys.map((p) => (
            <li key={p.id} data-testid="passkey">
              {renaming?.id === p.id ? (
                <form onSubmit={rename} class="inline">
                  <Field
                    label="New name"
                    value={renaming.name}
                    onValue={(value) => setRenaming({ id: p.id, name: value })}
                    maxLength={64}
                    autoFocus
                    required
                  />
                  <button type="submit" disabled={busy}>
                    Save
                  </button>
                  <button type="button" class="secondary" onClick={() => setRenaming(null)}>
                    Cancel
                  </button>
                </form>
              ) : (
                <>
                  <span>
                    <strong>{p.name}</strong>
                    <span class="hint">
                      {' '}
                      · {p.backedUp ? 'synced passkey' : 'on one device'} · added {timeAgo(p.createdAt)} ·{' '}
                      {p.lastUsedAt ? `last used ${timeAgo(p.lastUsedAt)}` : 'never used'}
                    </span>
                  </span>
                  <span class="actions">
                    <button
                      type="button"
                      class="secondary"
                      aria-label={`Rename ${p.name}`}
                      onClick={() => setRenaming({ id: p.id, name: p.name })}
                    >
                      Rename
                    </button>
                    <button
                      type="button"
                      class="danger"
                      disabled={busy}
                      aria-label={`Remove ${p.name}`}
                      onClick={() => remove(p)}
                    >
                      Remove
                    </button>
                  </span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {passkeysSupported() ? (
        <form onSubmit={add}>
          <Field
            label="Name of the new passkey"
            hint="So you can tell it apart, e.g. “Work laptop” or “YubiKey”."
            value={name}
            onValue={setName}
            maxLength={64}
            required
          />
          <button type="submit" disabled={busy}>
            {busy ? 'Waiting for your device…' : 'Add a passkey'}
          </button>
        </form>
      ) : (
        <p class="hint">This browser cannot use passkeys.</p>
      )}
    </section>
  );
}
