import { useState } from 'preact/hooks';
import { Alert, Field, ScreenTitle, useAction } from '../components/ui';
import type { Api } from '../lib/api';
import { hrefOf } from '../lib/route';

export function SignUpScreen({
  api,
  onSignedIn,
}: {
  api: Api;
  onSignedIn: (token: string) => Promise<void>;
}) {
  const [accountName, setAccountName] = useState('');
  const [login, setLogin] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await api.call('POST /api/v1/accounts', { body: { accountName, login, email, password } });
      const answer = await api.call('POST /api/v1/auth/login', { body: { login, password } });
      // A new owner has no second factor yet: the answer is a session.
      if (answer.status === 'authenticated') await onSignedIn(answer.token);
    });
  };
  return (
    <section class="card narrow">
      <ScreenTitle>Create your account</ScreenTitle>
      <Alert error={error} />
      <form onSubmit={submit}>
        <Field
          label="Account name"
          hint="Your company or team; it is also your OpenStack project name."
          value={accountName}
          onValue={setAccountName}
          autoComplete="organization"
          required
        />
        <Field label="Login" value={login} onValue={setLogin} autoComplete="username" required />
        <Field label="E-mail" type="email" value={email} onValue={setEmail} autoComplete="email" required />
        <Field
          label="Password"
          type="password"
          hint="At least 12 characters. A passphrase of a few words is easy to type and hard to guess."
          value={password}
          onValue={setPassword}
          autoComplete="new-password"
          minLength={12}
          required
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <p class="aside">
        Already have an account? <a href={hrefOf('sign-in')}>Sign in</a>
      </p>
    </section>
  );
}
