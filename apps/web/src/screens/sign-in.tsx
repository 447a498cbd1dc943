import type { MfaRequired } from '@twofold/contracts';
import { useEffect, useState } from 'preact/hooks';
import { Alert, Field, Notice, OtpField, ScreenTitle, useAction } from '../components/ui';
import { t } from '../i18n';
import { type Api, ApiError } from '../lib/api';
import { autofillSupported, passkeysSupported, stopPasskeyPrompt, usePasskey } from '../lib/passkeys';
import { hrefOf } from '../lib/route';

interface Props {
  api: Api;
  greeting: string | null;
  onSignedIn: (token: string) => Promise<void>;
}

export function SignInScreen({ api, greeting, onSignedIn }: Props) {
  const [mfa, setMfa] = useState<MfaRequired | null>(null);
  const [expired, setExpired] = useState<unknown>(null);
  if (mfa) {
    return (
      <SecondFactorStep
        api={api}
        mfa={mfa}
        onSignedIn={onSignedIn}
        onExpired={(error) => {
          setExpired(error);
          setMfa(null);
        }}
      />
    );
  }
  return (
    <PasswordStep api={api} greeting={greeting} carried={expired} onMfa={setMfa} onSignedIn={onSignedIn} />
  );
}

function PasswordStep({
  api,
  greeting,
  carried,
  onMfa,
  onSignedIn,
}: Omit<Props, 'greeting'> & {
  greeting: string | null;
  carried: unknown;
  onMfa: (mfa: MfaRequired) => void;
}) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const withPasskey = async (autofill: boolean) => {
    const { challengeId, options } = await api.call('POST /api/v1/auth/passkey/options', { body: {} });
    const response = await usePasskey(options, autofill);
    if (!response) return;
    const answer = await api.call('POST /api/v1/auth/passkey', { body: { challengeId, response } });
    await onSignedIn(answer.token);
  };
  // Conditional UI: the browser offers the member's passkeys in the login field's autofill, in the
  // background; should it fail, the button and the password are still there, so it says nothing.
  useEffect(() => {
    void autofillSupported().then((supported) => {
      if (supported) withPasskey(true).catch(() => undefined);
    });
    return stopPasskeyPrompt;
  }, []);
  const submit = (e: Event) => {
    e.preventDefault();
    stopPasskeyPrompt();
    void run(async () => {
      const answer = await api.call('POST /api/v1/auth/login', { body: { login, password } });
      if (answer.status === 'mfa_required') onMfa(answer);
      else await onSignedIn(answer.token);
    });
  };
  return (
    <section class="card narrow" aria-labelledby="sign-in-title">
      <ScreenTitle id="sign-in-title">{t('signIn.title')}</ScreenTitle>
      {greeting && <Notice>{greeting}</Notice>}
      <Alert error={error ?? carried} />
      <form onSubmit={submit}>
        <Field
          label={t('signIn.login')}
          value={login}
          onValue={setLogin}
          name="username"
          autoComplete="username webauthn"
          required
        />
        <Field
          label={t('signIn.password')}
          type="password"
          value={password}
          onValue={setPassword}
          name="password"
          autoComplete="current-password"
          required
        />
        <button type="submit" disabled={busy}>
          {busy ? t('signIn.signingIn') : t('signIn.submit')}
        </button>
      </form>
      {passkeysSupported() && (
        <p>
          <button
            type="button"
            class="secondary"
            disabled={busy}
            onClick={() => void run(() => withPasskey(false))}
          >
            {t('signIn.withPasskey')}
          </button>
        </p>
      )}
      <p class="aside">
        <a href={hrefOf('password-reset')}>{t('signIn.forgotPassword')}</a> · {t('signIn.newHere')}{' '}
        <a href={hrefOf('sign-up')}>{t('signIn.createAccount')}</a>
      </p>
    </section>
  );
}

function SecondFactorStep({
  api,
  mfa,
  onSignedIn,
  onExpired,
}: {
  api: Api;
  mfa: MfaRequired;
  onSignedIn: (token: string) => Promise<void>;
  onExpired: (error: unknown) => void;
}) {
  const { mfaToken } = mfa;
  const passkeyFirst = mfa.methods.includes('webauthn') && passkeysSupported();
  const [mode, setMode] = useState<'passkey' | 'code' | 'recovery'>(
    passkeyFirst ? 'passkey' : mfa.methods.includes('totp') ? 'code' : 'recovery',
  );
  const [options, setOptions] = useState(mfa.webauthn?.options);
  const [code, setCode] = useState('');
  const { busy, error, run, setError } = useAction();
  const complete = (
    body: { code: string } | { webauthn: NonNullable<Awaited<ReturnType<typeof usePasskey>>> },
  ) =>
    run(async () => {
      try {
        const answer = await api.call('POST /api/v1/auth/mfa', { body: { mfaToken, ...body } });
        await onSignedIn(answer.token);
      } catch (failure) {
        if (failure instanceof ApiError && failure.code === 'mfa_token_invalid') onExpired(failure);
        else {
          setCode('');
          // A refused answer spent its challenge: the next try needs a new one.
          if ('webauthn' in body) setOptions(undefined);
          throw failure;
        }
      }
    });
  const withPasskey = () =>
    void run(async () => {
      const current =
        options ?? (await api.call('POST /api/v1/auth/mfa/options', { body: { mfaToken } })).options;
      setOptions(current);
      const webauthn = await usePasskey(current);
      if (webauthn) await complete({ webauthn });
    });
  const submit = (e: Event) => {
    e.preventDefault();
    void complete({ code });
  };
  const choose = (next: typeof mode) => {
    setMode(next);
    setCode('');
    setError(null);
  };
  return (
    <section class="card narrow">
      <ScreenTitle>{t('signIn.mfaTitle')}</ScreenTitle>
      <p>
        {mode === 'passkey'
          ? t('signIn.passkeyPrompt')
          : mode === 'recovery'
            ? t('signIn.recoveryPrompt')
            : t('signIn.codePrompt')}
      </p>
      <Alert error={error} asked={mode === 'recovery' ? 'recovery code' : 'code'} />
      {mode === 'passkey' ? (
        <button type="button" disabled={busy} onClick={withPasskey}>
          {busy ? t('signIn.waitingForPasskey') : t('signIn.usePasskey')}
        </button>
      ) : (
        <form onSubmit={submit}>
          {mode === 'recovery' ? (
            <Field
              label={t('signIn.recoveryCode')}
              hint={t('signIn.recoveryCodeHint')}
              value={code}
              onValue={setCode}
              name="recovery-code"
              autoComplete="off"
              autoCapitalize="characters"
              spellcheck={false}
              required
            />
          ) : (
            <OtpField label={t('signIn.authenticationCode')} value={code} onValue={setCode} />
          )}
          <button type="submit" disabled={busy}>
            {busy ? t('signIn.checking') : t('signIn.verify')}
          </button>
        </form>
      )}
      <p class="aside">
        {passkeyFirst && mode !== 'passkey' && (
          <button type="button" class="link" onClick={() => choose('passkey')}>
            {t('signIn.usePasskey')}
          </button>
        )}
        {mfa.methods.includes('totp') && mode !== 'code' && (
          <button type="button" class="link" onClick={() => choose('code')}>
            {t('signIn.useAppCode')}
          </button>
        )}
        {mode !== 'recovery' && (
          <button type="button" class="link" onClick={() => choose('recovery')}>
            {mode === 'passkey' ? t('signIn.lostPasskey') : t('signIn.lostPhone')}
          </button>
        )}
      </p>
    </section>
  );
}
