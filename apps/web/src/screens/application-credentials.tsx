import type { ApplicationCredential, CustomerRole } from '@twofold/contracts';
import { useEffect, useState } from 'preact/hooks';
import {
  Alert,
  CopyButton,
  Disclosure,
  Field,
  Notice,
  SecondFactorNeeded,
  useAction,
} from '../components/ui';
import { t, tx } from '../i18n';
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
      setNotice(t('appCredentials.confirmed', { name: credential.name }));
      await load();
    });

  const remove = (credential: ApplicationCredential) =>
    void run(async () => {
      await api.call('DELETE /api/v1/me/application-credentials/:id', { params: { id: credential.id } });
      setConfirming(null);
      if (made?.credential.id === credential.id) setMade(null);
      setNotice(t('appCredentials.deleted', { name: credential.name }));
      await load();
    });

  return (
    <section class="card" aria-labelledby="credentials-title">
      <h2 id="credentials-title">{t('appCredentials.title')}</h2>
      <p>{t('appCredentials.lead')}</p>
      {notice && <Notice>{notice}</Notice>}
      <Alert error={error} />
      {made && <MadeCredential made={made} login={me.user.login} />}
      {credentials === null ? (
        <p aria-busy="true">{t('appCredentials.loading')}</p>
      ) : credentials.length === 0 ? (
        <p data-testid="no-credentials">{t('appCredentials.none')}</p>
      ) : (
        <ul class="credentials" aria-label={t('appCredentials.list')}>
          {credentials.map((c) => (
            <li key={c.id}>
              <span>
                <strong>{c.name}</strong> — {c.roles.map((role) => t(`team.role.${role}`)).join(', ')} ·{' '}
                {expiryOf(c.expiresAt)}
                {c.description && <span class="hint"> · {c.description}</span>}
                {unconfirmed(c) && <span class="hint"> · {t('appCredentials.unconfirmed')}</span>}
              </span>
              {unconfirmed(c) && confirming !== c.id && (
                <button type="button" disabled={busy || me.session.aal !== 2} onClick={() => keep(c)}>
                  {t('appCredentials.keep')}
                </button>
              )}
              {confirming === c.id ? (
                <span
                  class="confirm"
                  role="group"
                  aria-label={t('appCredentials.confirmDeleting', { name: c.name })}
                >
                  <span>{t('appCredentials.deleteQuestion', { name: c.name })}</span>
                  <button type="button" class="danger" disabled={busy} onClick={() => remove(c)}>
                    {t('appCredentials.yesDelete')}
                  </button>
                  <button type="button" class="secondary" onClick={() => setConfirming(null)}>
                    {t('appCredentials.keep')}
                  </button>
                </span>
              ) : (
                <button type="button" class="secondary" onClick={() => setConfirming(c.id)}>
                  {t('appCredentials.delete')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <Disclosure summary={t('appCredentials.make.title')}>
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
            why={t('appCredentials.why')}
            then={t('appCredentials.then')}
            signOut={signOut}
          />
        )}
      </Disclosure>
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
      <Alert error={error} />
      <Field
        label={t('appCredentials.make.name')}
        value={name}
        onValue={setName}
        hint={t('appCredentials.make.nameHint')}
        required
      />
      <Field label={t('appCredentials.make.description')} value={description} onValue={setDescription} />
      <Field label={t('appCredentials.make.expires')} type="date" value={expires} onValue={setExpires} />
      <fieldset class="roles">
        <legend>{t('appCredentials.make.roles')}</legend>
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
            {t(`team.role.${role}`)}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={busy || name.trim() === '' || chosen.length === 0}>
        {t('appCredentials.make.submit')}
      </button>
    </form>
  );
}

function MadeCredential({ made, login }: { made: Made; login: string }) {
  const yaml = cloudsYaml(`${location.origin}/identity/v3`, made.credential.id, made.secret);
  return (
    <div class="made-credential" data-testid="made-credential">
      <div class="alert warning" role="note">
        <p>{tx('appCredentials.made.shownOnce', { name: made.credential.name, login })}</p>
      </div>
      <p>
        {t('appCredentials.made.id')}{' '}
        <code data-testid="credential-id">{made.credential.id.replace(/-/g, '')}</code>{' '}
        <CopyButton text={made.credential.id.replace(/-/g, '')} label={t('appCredentials.made.copyId')} />
      </p>
      <p>
        {t('appCredentials.made.secret')} <code data-testid="credential-secret">{made.secret}</code>{' '}
        <CopyButton text={made.secret} label={t('appCredentials.made.copySecret')} />
      </p>
      <p>{t('appCredentials.made.cloudsYaml')}</p>
      <pre>{yaml}</pre>
      <CopyButton text={yaml} label={t('appCredentials.made.copyCloudsYaml')} />
    </div>
  );
}
