import type { Enrollment, TwoFactorStatus } from '@twofold/contracts';
import { useEffect, useState } from 'preact/hooks';
import {
  Alert,
  CopyButton,
  Field,
  Notice,
  OtpField,
  RecoveryCodes,
  ScreenTitle,
  SecondFactorNeeded,
  useAction,
} from '../components/ui';
import { driftInWords, groupSecret } from '../lib/format';
import type { SignedIn } from '../lib/me';
import { ApplicationCredentials } from './application-credentials';
import { Passkeys } from './passkeys';
import { Sessions } from './sessions';

export function SettingsScreen(props: SignedIn) {
  const { api, me } = props;
  const [status, setStatus] = useState<TwoFactorStatus | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { error, run } = useAction();
  const load = () => run(async () => setStatus(await api.call('GET /api/v1/me/two-factor')));
  useEffect(() => void load(), []);

  const changed = async (message: string) => {
    await Promise.all([load(), props.refresh()]);
    setNotice(message);
  };

  return (
    <>
      <ScreenTitle>Account settings</ScreenTitle>
      <p class="lead">
        Signed in as <strong>{me.user.login}</strong> ({me.user.email}) in <strong>{me.account.name}</strong>
      </p>
      {me.session.restricted && !me.twoFactor.enabled && (
        <div class="alert warning" role="alert">
          <p>
            <strong>Your account requires two-factor authentication.</strong> Turn it on below to continue;
            everything else opens as soon as it is confirmed.
          </p>
        </div>
      )}
      {me.twoFactor.passkeyDeadline && (
        <div class="alert warning" role="alert">
          <p>
            <strong>Your account requires a passkey for your role</strong>
            {me.session.restricted
              ? '. Add one below to continue; everything else opens as soon as it is added.'
              : ` by ${new Date(me.twoFactor.passkeyDeadline).toLocaleDateString()}. Add one below: codes from your authenticator app then no longer sign you in.`}
          </p>
        </div>
      )}
      {notice && <Notice>{notice}</Notice>}
      <Alert error={error} />
      <section class="card" aria-labelledby="two-factor-title">
        <h2 id="two-factor-title">Two-factor authentication (2FA/OTP)</h2>
        {status === null ? (
          <p aria-busy="true">Loading…</p>
        ) : status.enabled ? (
          <TwoFactorOn {...props} status={status} onChanged={changed} />
        ) : (
          <TwoFactorOff {...props} startOpen={me.session.restricted} onEnabled={changed} />
        )}
      </section>
      <Passkeys {...props} onChanged={changed} />
      {!me.session.restricted && <ApplicationCredentials {...props} />}
      {!me.session.restricted && <EmailAddress {...props} />}
      {!me.session.restricted && <ChangePassword {...props} />}
      {/* Loaded again once a new factor made this session aal 2. */}
      {!me.session.restricted && <Sessions key={me.session.aal} {...props} />}
    </>
  );
}

function TwoFactorOff({
  api,
  me,
  startOpen,
  onEnabled,
}: SignedIn & { startOpen: boolean; onEnabled: (message: string) => Promise<void> }) {
  const [open, setOpen] = useState(startOpen);
  if (!open) {
    return (
      <>
        <p class="status off">
          <span class="badge">Off</span> Protect your account with a code from an authenticator app (Google
          Authenticator, FreeOTP, Aegis, 1Password…) in addition to your password — or add a passkey below.
        </p>
        <button type="button" onClick={() => setOpen(true)}>
          Enable 2FA/OTP
        </button>
      </>
    );
  }
  return <EnableTwoFactor api={api} me={me} onEnabled={onEnabled} onCancel={() => setOpen(false)} />;
}

function EnableTwoFactor({
  api,
  me,
  onEnabled,
  onCancel,
  replacing = false,
}: Pick<SignedIn, 'api' | 'me'> & {
  onEnabled: (message: string) => Promise<void>;
  onCancel: () => void;
  /** A new phone for a member with 2FA on: the current one works until this one is confirmed. */
  replacing?: boolean;
}) {
  const [password, setPassword] = useState('');
  const [enrollment, setEnrollment] = useState<Enrollment | null>(null);
  const [code, setCode] = useState('');
  const { busy, error, run } = useAction();

  const start = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      setEnrollment(await api.call('POST /api/v1/me/two-factor/enrollment', { body: { password } }));
      setPassword('');
    });
  };
  const confirm = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      try {
        await api.call('POST /api/v1/me/two-factor/enrollment/confirm', { body: { code } });
      } catch (failure) {
        setCode('');
        throw failure;
      }
      await onEnabled(
        replacing
          ? 'Your new authenticator is set up. Codes from the old one and your old recovery codes no longer work; your other sessions were signed out.'
          : 'Two-factor authentication is on. From now on, sign in with your password and a code.',
      );
    });
  };

  if (!enrollment) {
    return (
      <form onSubmit={start}>
        <h3>Step 1 of 3 — confirm it is you</h3>
        <Alert error={error} asked="password" />
        <Field
          label="Your password"
          type="password"
          value={password}
          onValue={setPassword}
          autoComplete="current-password"
          required
        />
        <div class="actions">
          <button type="submit" disabled={busy}>
            Continue
          </button>
          {!me.session.restricted && (
            <button type="button" class="secondary" onClick={onCancel}>
              Cancel
            </button>
          )}
        </div>
      </form>
    );
  }
  return (
    <div class="enrol">
      <h3>Step 2 of 3 — add Twofold to your authenticator app</h3>
      <div class="scan">
        <img
          class="qr"
          src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrollment.qrCodeSvg)}`}
          alt="QR code of your Twofold key: scan it with your authenticator app"
          width={200}
          height={200}
        />
        <div>
          <p>Scan the QR code, or type this key into the app (time-based, 6 digits, every 30 s):</p>
          <p class="secret">
            <code aria-label="Your secret key" data-testid="secret">
              {groupSecret(enrollment.secret)}
            </code>
          </p>
          <CopyButton text={enrollment.secret} label="Copy key" />
        </div>
      </div>
      <h3>Save your recovery codes</h3>
      <div class="alert warning" role="note">
        <p>
          <strong>These codes are shown only now.</strong> Each one signs you in once if you lose your phone.
          Copy or download them and keep them somewhere safe, apart from your phone.
        </p>
      </div>
      <RecoveryCodes codes={enrollment.recoveryCodes} login={me.user.login} />
      <form onSubmit={confirm}>
        <h3>
          {replacing
            ? 'Step 3 of 3 — enter a code from the new app to switch to it'
            : 'Step 3 of 3 — enter a code to turn 2FA on'}
        </h3>
        {replacing && <p>Until you do, your current authenticator and recovery codes keep working.</p>}
        <Alert error={error} />
        <OtpField label="Code from your app" value={code} onValue={setCode} />
        <div class="actions">
          <button type="submit" disabled={busy || code.length !== 6}>
            {replacing ? 'Switch to this authenticator' : 'Turn on 2FA'}
          </button>
          {replacing && (
            <button type="button" class="secondary" onClick={onCancel}>
              Keep the current one
            </button>
          )}
        </div>
      </form>
    </div>
  );
}

function TwoFactorOn({
  api,
  me,
  status,
  signOut,
  onChanged,
}: SignedIn & { status: TwoFactorStatus; onChanged: (message: string) => Promise<void> }) {
  const [codes, setCodes] = useState<string[] | null>(null);
  const [confirming, setConfirming] = useState<'disable' | null>(null);
  const [replacing, setReplacing] = useState(false);
  const { busy, error, run } = useAction();
  const strong = me.session.aal === 2;
  const remaining = status.recoveryCodesRemaining;
  const app = status.factors.includes('totp');

  const regenerate = () =>
    void run(async () => {
      const answer = await api.call('POST /api/v1/me/two-factor/recovery-codes');
      setCodes(answer.recoveryCodes);
      await onChanged('New recovery codes are ready; the old ones no longer work.');
    });
  const disable = () =>
    void run(async () => {
      await api.call('DELETE /api/v1/me/two-factor');
      setConfirming(null);
      await onChanged('Two-factor authentication is off. Your other sessions were signed out.');
    });

  return (
    <>
      <p class="status on">
        <span class="badge">On</span>
        {status.enabledAt && <> since {new Date(status.enabledAt).toLocaleDateString()}</>}
      </p>
      <p class={remaining <= 1 ? 'recovery-count low' : 'recovery-count'} data-testid="recovery-remaining">
        Recovery codes left: <strong>{remaining}</strong>
        {remaining <= 1 && ' — generate new ones soon.'}
      </p>
      {codes && (
        <>
          <div class="alert warning" role="note">
            <p>
              <strong>Your new recovery codes are shown only now.</strong> Save them before leaving this page.
            </p>
          </div>
          <RecoveryCodes codes={codes} login={me.user.login} />
        </>
      )}
      {app && <TestCode api={api} />}
      {app && <FixCodes api={api} />}
      <h3>{app ? 'New phone?' : 'Authenticator app'}</h3>
      {replacing ? (
        <EnableTwoFactor
          api={api}
          me={me}
          replacing={app}
          onEnabled={async (message) => {
            setReplacing(false);
            await onChanged(message);
          }}
          onCancel={() => setReplacing(false)}
        />
      ) : (
        <>
          <p>
            {app
              ? 'Move Twofold to another authenticator app without turning 2FA off: the current one keeps working until the new one is confirmed.'
              : 'Your second factor is a passkey. Add an authenticator app too, for sign-ins where a passkey cannot be used (its recovery codes then replace yours).'}
          </p>
          <button type="button" class="secondary" onClick={() => setReplacing(true)}>
            {app ? 'Replace my authenticator' : 'Add an authenticator app'}
          </button>
        </>
      )}
      <h3>Recovery codes and turning 2FA off</h3>
      <Alert error={error} />
      {strong ? (
        <div class="actions">
          <button type="button" class="secondary" disabled={busy} onClick={regenerate}>
            Regenerate recovery codes
          </button>
          {confirming === 'disable' ? (
            <span class="confirm" role="group" aria-label="Confirm turning 2FA off">
              <span>Turn off 2FA? Your account will be protected by the password alone.</span>
              <button type="button" class="danger" disabled={busy} onClick={disable}>
                Yes, disable 2FA
              </button>
              <button type="button" class="secondary" onClick={() => setConfirming(null)}>
                Keep it on
              </button>
            </span>
          ) : (
            <button type="button" class="danger" onClick={() => setConfirming('disable')}>
              Disable 2FA/OTP
            </button>
          )}
        </div>
      ) : (
        <SecondFactorNeeded
          why="To regenerate recovery codes or disable 2FA, your session must have been signed in with your second factor."
          then="manage your 2FA"
          signOut={signOut}
        />
      )}
    </>
  );
}

/** "My codes don't work": two codes in a row realign the app with a phone whose clock is off. */
export function FixCodes({ api, token }: Pick<SignedIn, 'api'> & { token?: string }) {
  const [code1, setCode1] = useState('');
  const [code2, setCode2] = useState('');
  const [drift, setDrift] = useState<number | null>(null);
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      setDrift(null);
      try {
        const answer = token
          ? await api.call('POST /api/v1/security/two-factor-resync', { body: { token, code1, code2 } })
          : await api.call('POST /api/v1/me/two-factor/resync', { body: { code1, code2 } });
        setDrift(answer.driftSeconds);
      } finally {
        setCode1('');
        setCode2('');
      }
    });
  };
  return (
    <form onSubmit={submit} class="fix-codes">
      {!token && <h3>My codes don’t work</h3>}
      <p>
        If your phone’s clock is off, its codes are refused. Enter the code your app shows now, wait for the
        next one, and enter it too: Twofold realigns itself with your phone (up to 10 minutes off).
      </p>
      <Alert error={error} />
      {drift !== null && (
        <Notice>
          Done: your phone’s clock is {driftInWords(drift)}, and its codes work again. Set it to update
          automatically.
        </Notice>
      )}
      <OtpField label="Code shown now" value={code1} onValue={setCode1} />
      <OtpField
        label="The next code"
        hint="The code your app shows after the first one (within 30 seconds)."
        value={code2}
        onValue={setCode2}
      />
      <button type="submit" class="secondary" disabled={busy || code1.length !== 6 || code2.length !== 6}>
        Realign my codes
      </button>
    </form>
  );
}

function TestCode({ api }: Pick<SignedIn, 'api'>) {
  const [code, setCode] = useState('');
  const [result, setResult] = useState<boolean | null>(null);
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      setResult(null);
      const answer = await api.call('POST /api/v1/me/two-factor/test', { body: { code } });
      setResult(answer.valid);
      setCode('');
    });
  };
  return (
    <form onSubmit={submit} class="test-code">
      <h3>Test my code</h3>
      <p>Check that your authenticator app gives the right codes.</p>
      <Alert error={error} />
      {result === true && <Notice>That code is right: your app is set up correctly.</Notice>}
      {result === false && (
        <div class="alert error" role="alert">
          <p>That code is not right. Check that your phone’s clock is set automatically.</p>
        </div>
      )}
      <OtpField label="Code to test" value={code} onValue={setCode} />
      <button type="submit" class="secondary" disabled={busy || code.length !== 6}>
        Test code
      </button>
    </form>
  );
}

/**
 * The member's address: proven or not (only a proven one is sent security links), and a new one
 * — the password first; it takes effect once the link e-mailed to it is opened.
 */
function EmailAddress({ api, me, refresh }: Pick<SignedIn, 'api' | 'me' | 'refresh'>) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const ask = (address: string) =>
    void run(async () => {
      const { pendingEmail } = await api.call('PUT /api/v1/me/email', {
        body: {
          email: address,
          password,
        },
      });
      setSent(pendingEmail);
      setEmail('');
      setPassword('');
      await refresh();
    });
  const submit = (e: Event) => {
    e.preventDefault();
    ask(email);
  };
  return (
    <section class="card" aria-labelledby="email-title">
      <h2 id="email-title">E-mail address</h2>
      <p>
        <strong>{me.email.address}</strong>{' '}
        {me.email.verified ? '(confirmed)' : '(not confirmed yet: password reset links cannot be sent to it)'}
      </p>
      {me.email.pending && (
        <p>
          Waiting for you to open the link sent to <strong>{me.email.pending}</strong>.
        </p>
      )}
      {sent && (
        <Notice>
          We sent a link to {sent}. Open it to confirm the address
          {sent === me.email.address ? '' : '; until then your old one stays'}.
        </Notice>
      )}
      <Alert error={error} />
      <form onSubmit={submit}>
        <Field
          label="New e-mail address"
          type="email"
          value={email}
          onValue={setEmail}
          autoComplete="email"
          required
        />
        <Field
          label="Password for this change"
          type="password"
          value={password}
          onValue={setPassword}
          autoComplete="current-password"
          required
        />
        <div class="actions">
          <button type="submit" class="secondary" disabled={busy}>
            Change e-mail address
          </button>
          {!me.email.verified && (
            <button
              type="button"
              class="link"
              disabled={busy || password === ''}
              onClick={() => ask(me.email.address)}
            >
              Send the confirmation link again
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

function ChangePassword({ api }: Pick<SignedIn, 'api'>) {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [repeat, setRepeat] = useState('');
  const [done, setDone] = useState(false);
  const [repeatMismatch, setRepeatMismatch] = useState(false);
  const { busy, error, run, setError } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    setDone(false);
    if (newPassword !== repeat) {
      setError(null);
      setRepeatMismatch(true);
      return;
    }
    setRepeatMismatch(false);
    void run(async () => {
      await api.call('PUT /api/v1/me/password', { body: { currentPassword, newPassword } });
      setCurrent('');
      setNew('');
      setRepeat('');
      setDone(true);
    });
  };
  return (
    <section class="card" aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      {done && <Notice>Your password is changed. Your other sessions were signed out.</Notice>}
      <Alert error={error} />
      {repeatMismatch && (
        <div class="alert error" role="alert">
          <p>The two new passwords differ.</p>
        </div>
      )}
      <form onSubmit={submit}>
        <Field
          label="Current password"
          type="password"
          value={currentPassword}
          onValue={setCurrent}
          autoComplete="current-password"
          required
        />
        <Field
          label="New password"
          type="password"
          hint="At least 12 characters."
          value={newPassword}
          onValue={setNew}
          autoComplete="new-password"
          minLength={12}
          required
        />
        <Field
          label="New password again"
          type="password"
          value={repeat}
          onValue={setRepeat}
          autoComplete="new-password"
          required
        />
        <button type="submit" class="secondary" disabled={busy}>
          Change password
        </button>
      </form>
    </section>
  );
}
