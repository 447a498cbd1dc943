import { useState } from 'preact/hooks';
import { Alert, Field, Notice, OtpField, ScreenTitle, useAction } from '../components/ui';
import { type Api, ApiError } from '../lib/api';
import { hrefOf } from '../lib/route';

interface Props {
  api: Api;
  greeting: string | null;
  onSignedIn: (token: string) => Promise<void>;
}

export function SignInScreen({ api, greeting, onSignedIn }: Props) {
  const [mfaToken, setMfaToken] = useState<string | null>(null);
  const [expired, setExpired] = useState<unknown>(null);
  if (mfaToken) {
    return (
      <SecondFactorStep
        api={api}
        mfaToken={mfaToken}
        onSignedIn={onSignedIn}
        onExpired={(error) => {
          setExpired(error);
          setMfaToken(null);
        }}
      />
    );
  }
  return (
    <PasswordStep
      api={api}
      greeting={greeting}
      carried={expired}
      onMfa={setMfaToken}
      onSignedIn={onSignedIn}
    />
  );
}

function PasswordStep({
  api,
  greeting,
  carried,
  onMfa,
  onSignedIn,
}: Omit<Props, 'greeting'> & { greeting: string | null; carried: unknown; onMfa: (token: string) => void }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const answer = await api.call('POST /api/v1/auth/login', { body: { login, password } });
      if (answer.status === 'mfa_required') onMfa(answer.mfaToken);
      else await onSignedIn(answer.token);
    });
  };
  return (
    <section class="card narrow" aria-labelledby="sign-in-title">
      <ScreenTitle>Sign in</ScreenTitle>
      {greeting && <Notice>{greeting}</Notice>}
      <Alert error={error ?? carried} />
      <form onSubmit={submit}>
        <Field
          label="Login"
          value={login}
          onValue={setLogin}
          name="username"
          autoComplete="username"
          required
        />
        <Field
          label="Password"
          type="password"
          value={password}
          onValue={setPassword}
          name="password"
          autoComplete="current-password"
          required
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p class="aside">
        <a href={hrefOf('password-reset')}>Forgot your password?</a> · New here?{' '}
        <a href={hrefOf('sign-up')}>Create an account</a>
      </p>
    </section>
  );
}

function SecondFactorStep({
  api,
  mfaToken,
  onSignedIn,
  onExpired,
}: {
  api: Api;
  mfaToken: string;
  onSignedIn: (token: string) => Promise<void>;
  onExpired: (error: unknown) => void;
}) {
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      try {
        const answer = await api.call('POST /api/v1/auth/mfa', { body: { mfaToken, code } });
        await onSignedIn(answer.token);
      } catch (failure) {
        if (failure instanceof ApiError && failure.code === 'mfa_token_invalid') onExpired(failure);
        else {
          setCode('');
          throw failure;
        }
      }
    });
  };
  const toggle = () => {
    setUseRecovery(!useRecovery);
    setCode('');
  };
  return (
    <section class="card narrow">
      <ScreenTitle>Two-factor authentication</ScreenTitle>
      <p>
        {useRecovery
          ? 'Enter one of your recovery codes. Each code works once.'
          : 'Open your authenticator app and enter the code it shows for Twofold.'}
      </p>
      <Alert error={error} recoveryCode={useRecovery} />
      <form onSubmit={submit}>
        {useRecovery ? (
          <Field
            label="Recovery code"
            hint="Dashes, spaces and letter case do not matter."
            value={code}
            onValue={setCode}
            name="recovery-code"
            autoComplete="off"
            autoCapitalize="characters"
            spellcheck={false}
            required
          />
        ) : (
          <OtpField label="Authentication code" value={code} onValue={setCode} />
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Verify'}
        </button>
      </form>
      <p class="aside">
        <button type="button" class="link" onClick={toggle}>
          {useRecovery ? 'Use a code from my authenticator app' : 'Lost your phone? Use a recovery code'}
        </button>
      </p>
    </section>
  );
}
