import type { ApplicationCredential, CustomerRole } from '@twofold/contracts';
import { useEffect, useState } from 'preact/hooks';
import { Alert, CopyButton, Field, Notice, SecondFactorNeeded, useAction } from '../components/ui';
import { cloudsYaml, expiryOf } from '../lib/format';
import type { SignedIn } from '../lib/me';

interface Made {
  credential: ApplicationCredential;
  secret: string;
}

/** What automation signs in with, without a code: with 2FA on, made only from a second-factor session. */
export function ApplicationCredentials({ api, me, signOut }: SignedIn) {
  const [credentials, setCredentials] = useState<ApplicationCredential[] | null>(null);
  const [made, setMade] = useState<Made | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const load = () =>
    run(async () => setCredentials((await api.call('GET /api/v1/me/application-credentials')).credentials));
  useEffect(() => void load(), []);
  const mayMake = !me.twoFactor.enabled || me.session.aal === 2;

  /** A credential the password alone made waits, once 2FA is on, for the member to vouch for it. */
  const unconfirmed = (c: ApplicationCredential) => me.twoFactor.enabled && !c.secondFactor;
  const keep = (credential: ApplicationCredential) =>
    void run(async () => {
      await api.call('POST /api/v1/me/application-credentials/:id/confirm', {
        params: { id: credential.id },
      });
      setNotice(`“${credential.name}” is confirmed: it signs in again.`);
      await load();
    });

  const remove = (credential: ApplicationCredential) =>
    void run(async () => {
      await api.call('DELETE /api/v1/me/application-credentials/:id', { params: { id: credential.id } });
      setConfirming(null);
      if (made?.credential.id === credential.id) setMade(null);
      setNotice(`“${credential.name}” is deleted; its tokens no longer work.`);
      await load();
    });

  return (
    <section class="card" aria-labelledby="credentials-title">
      <h2 id="credentials-title">Application credentials</h2>
      <p>
        For automation and the OpenStack tools: a credential signs in without a code, with the roles you give
        it, until you delete it or it expires.
      </p>
      {notice && <Notice>{notice}</Notice>}
      <Alert error={error} />
      {made && <MadeCredential made={made} login={me.user.login} />}
      {credentials === null ? (
        <p aria-busy="true">Loading…</p>
      ) : credentials.length === 0 ? (
        <p data-testid="no-credentials">You have no application credentials.</p>
      ) : (
        <ul class="credentials" aria-label="Your application credentials">
          {credentials.map((c) => (
            <li key={c.id}>
              <span>
                <strong>{c.name}</strong> — {c.roles.join(', ')} · {expiryOf(c.expiresAt)}
                {c.description && <span class="hint"> · {c.description}</span>}
                {unconfirmed(c) && (
                  <span class="hint">
                    {' '}
                    · made before 2FA was turned on, with the password alone: it does not sign in until you
                    keep it (with your second factor) or delete it
                  </span>
                )}
              </span>
              {unconfirmed(c) && confirming !== c.id && (
                <button type="button" disabled={busy || me.session.aal !== 2} onClick={() => keep(c)}>
                  Keep it
                </button>
              )}
              {confirming === c.id ? (
                <span class="confirm" role="group" aria-label={`Confirm deleting ${c.name}`}>
                  <span>Delete “{c.name}”? Automation using it stops.</span>
                  <button type="button" class="danger" disabled={busy} onClick={() => remove(c)}>
                    Yes, delete it
                  </button>
                  <button type="button" class="secondary" onClick={() => setConfirming(null)}>
                    Keep it
                  </button>
                </span>
              ) : (
                <button type="button" class="secondary" onClick={() => setConfirming(c.id)}>
                  Delete
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {mayMake ? (
        <MakeCredential
          api={api}
          roles={me.user.roles.filter((r): r is CustomerRole => r !== 'service')}
          onMade={async (next) => {
            setNotice(null);
            setMade(next);
            await load();
          }}
        />
      ) : (
        <SecondFactorNeeded
          why="A credential signs in without a code, so making one needs a session signed in with your second factor."
          then="make the credential"
          signOut={signOut}
        />
      )}
    </section>
  );
}

function MakeCredential({
  api,
  roles,
  onMade,
}: Pick<SignedIn, 'api'> & { roles: CustomerRole[]; onMade: (made: Made) => Promise<void> }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [expires, setExpires] = useState('');
  const [chosen, setChosen] = useState<CustomerRole[]>(roles);
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const made = await api.call('POST /api/v1/me/application-credentials', {
        body: {
          name,
          ...(description ? { description } : {}),
          roles: chosen,
          // The end of the chosen day, UTC.
          ...(expires ? { expiresAt: `${expires}T23:59:59Z` } : {}),
        },
      });
      setName('');
      setDescription('');
      setExpires('');
      await onMade(made);
    });
  };
  return (
    <form onSubmit={submit}>
      <h3>Make a credential</h3>
      <Alert error={error} />
      <Field
        label="Name"
        value={name}
        onValue={setName}
        hint="What will use it, e.g. “ci-deploy”."
        required
      />
      <Field label="Description (optional)" value={description} onValue={setDescription} />
      <Field label="Expires on (optional)" type="date" value={expires} onValue={setExpires} />
      <fieldset class="roles">
        <legend>Roles its tokens carry</legend>
        {roles.map((role) => (
          <label key={role} class="check">
            <input
              type="checkbox"
              checked={chosen.includes(role)}
              onChange={(e) =>
                setChosen((current) =>
                  e.currentTarget.checked ? [...current, role] : current.filter((r) => r !== role),
                )
              }
            />{' '}
            {role}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={busy || name.trim() === '' || chosen.length === 0}>
        Make credential
      </button>
    </form>
  );
}

function MadeCredential({ made, login }: { made: Made; login: string }) {
  const yaml = cloudsYaml(`${location.origin}/identity/v3`, made.credential.id, made.secret);
  return (
    <div class="made-credential" data-testid="made-credential">
      <div class="alert warning" role="note">
        <p>
          <strong>The secret of “{made.credential.name}” is shown only now.</strong> Store it where your
          automation reads it, for {login}.
        </p>
      </div>
      <p>
        ID <code data-testid="credential-id">{made.credential.id.replace(/-/g, '')}</code>{' '}
        <CopyButton text={made.credential.id.replace(/-/g, '')} label="Copy ID" />
      </p>
      <p>
        Secret <code data-testid="credential-secret">{made.secret}</code>{' '}
        <CopyButton text={made.secret} label="Copy secret" />
      </p>
      <p>As a clouds.yaml entry for the OpenStack tools:</p>
      <pre>{yaml}</pre>
      <CopyButton text={yaml} label="Copy clouds.yaml" />
    </div>
  );
}
