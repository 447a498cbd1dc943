import { useState } from 'preact/hooks';
import { Alert, Field, Notice, ScreenTitle, useAction } from '../components/ui';
import { type Api, ApiError } from '../lib/api';
import { hrefOf } from '../lib/route';

export function PasswordResetScreen({
  api,
  token,
  onReset,
  onNewLink,
}: {
  api: Api;
  token: string | null;
  onReset: () => void;
  onNewLink: () => void;
}) {
  return token ? (
    <ChooseNewPassword api={api} token={token} onReset={onReset} onNewLink={onNewLink} />
  ) : (
    <section class="card narrow" aria-labelledby="reset-title">
      <ScreenTitle id="reset-title">Forgot your password?</ScreenTitle>
      <RequestResetLink api={api} />
      <p class="aside">
        Remembered it? <a href={hrefOf('sign-in')}>Sign in</a>
      </p>
    </section>
  );
}

/** Also where "this wasn't me" continues, with the login filled in. */
export function RequestResetLink({ api, login: known = '' }: { api: Api; login?: string }) {
  const [login, setLogin] = useState(known);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await api.call('POST /api/v1/auth/password-reset', { body: { login } });
      setSentTo(login);
    });
  };
  if (sentTo) {
    return (
      <Notice>
        If <strong>{sentTo}</strong> signs in here, an e-mail with a link to choose a new password is on its
        way to its address. The link works once, for 30 minutes. Nothing arrived? Check the spam folder, or
        ask again in a few minutes.
      </Notice>
    );
  }
  return (
    <>
      <p>Enter your login: we e-mail you a link to choose a new password.</p>
      <Alert error={error} />
      <form onSubmit={submit}>
        <Field
          label="Login"
          value={login}
          onValue={setLogin}
          name="username"
          autoComplete="username"
          required
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Sending…' : 'E-mail me a link'}
        </button>
      </form>
    </>
  );
}

function ChooseNewPassword({
  api,
  token,
  onReset,
  onNewLink,
}: {
  api: Api;
  token: string;
  onReset: () => void;
  onNewLink: () => void;
}) {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      try {
        await api.call('POST /api/v1/auth/password-reset/confirm', {
          body: {
            token,
            newPassword: password,
            ...(code.trim() ? { code: code.trim() } : {}),
          },
        });
      } catch (failure) {
        setCode('');
        throw failure;
      }
      onReset();
    });
  };
  const linkDead = error instanceof ApiError && error.code === 'link_invalid';
  return (
    <section class="card narrow" aria-labelledby="new-password-title">
      <ScreenTitle id="new-password-title">Choose a new password</ScreenTitle>
      <p>Every session of yours is signed out once it is changed.</p>
      <Alert error={error} />
      {linkDead ? (
        <button type="button" onClick={onNewLink}>
          Ask for a new link
        </button>
      ) : (
        <form onSubmit={submit}>
          <Field
            label="New password"
            type="password"
            hint="At least 12 characters. A passphrase of a few words is easy to type and hard to guess."
            value={password}
            onValue={setPassword}
            autoComplete="new-password"
            minLength={12}
            required
          />
          <Field
            label="Code from your authenticator app, or a recovery code"
            hint="Only if you use two-factor authentication: a stolen mailbox alone cannot change your password."
            value={code}
            onValue={setCode}
            name="one-time-code"
            autoComplete="one-time-code"
            spellcheck={false}
          />
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Set new password'}
          </button>
        </form>
      )}
    </section>
  );
}
