import type { Enrollment, TwoFactorStatus } from '@twofold/contracts';
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  Alert,
  CopyButton,
  Disclosure,
  Field,
  Notice,
  OtpField,
  RecoveryCodes,
  ScreenTitle,
  SecondFactorNeeded,
  useAction,
  useFieldErrors,
} from '../components/ui';
import { ApiError } from '../lib/api';
import { formatDate, t, tx } from '../i18n';
import { driftInWords, groupSecret, offsetInWords } from '../lib/format';
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
      <ScreenTitle>{t('settings.title')}</ScreenTitle>
      <p class="lead">
        {tx('settings.lead', { login: me.user.login, email: me.user.email, account: me.account.name })}
      </p>
      {me.session.restricted && !me.twoFactor.enabled && (
        <div class="alert warning" role="alert">
          <p>{tx('settings.required')}</p>
        </div>
      )}
      {me.twoFactor.passkeyDeadline && (
        <div class="alert warning" role="alert">
          <p>
            {me.session.restricted
              ? tx('settings.passkeyRequired.now')
              : tx('settings.passkeyRequired.by', { date: formatDate(me.twoFactor.passkeyDeadline) })}
          </p>
        </div>
      )}
      {notice && <Notice>{notice}</Notice>}
      <Alert error={error} />
      <section class="card" aria-labelledby="two-factor-title">
        <h2 id="two-factor-title">{t('settings.twoFactor.title')}</h2>
        {status === null ? (
          <p aria-busy="true">{t('settings.loading')}</p>
        ) : status.enabled ? (
          <TwoFactorOn {...props} status={status} onChanged={changed} />
        ) : (
          <TwoFactorOff {...props} startOpen={me.session.restricted} onEnabled={changed} />
        )}
      </section>
      <div class="settings-grid">
        <Passkeys {...props} onChanged={changed} />
        {!me.session.restricted && <ApplicationCredentials {...props} />}
        {!me.session.restricted && <EmailAddress {...props} />}
        {!me.session.restricted && <ChangePassword {...props} />}
        {/* Loaded again once a new factor made this session aal 2. */}
        {!me.session.restricted && <Sessions key={me.session.aal} {...props} />}
      </div>
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
          <span class="badge">{t('settings.off.badge')}</span> {t('settings.off.text')}
        </p>
        <button type="button" onClick={() => setOpen(true)}>
          {t('settings.off.enable')}
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
  const steps = useRef<HTMLDivElement>(null);
  const passwordForm = useFieldErrors(
    enrollment ? null : error,
    { invalid_credentials: 'password' },
    'password',
  );
  const codeForm = useFieldErrors(enrollment ? error : null, {
    invalid_code: 'code',
    code_already_used: 'code',
  });
  // To the code field, without scrolling past the QR code and recovery codes above it.
  useEffect(() => {
    if (enrollment)
      steps.current?.querySelector<HTMLInputElement>('input.otp')?.focus({ preventScroll: true });
  }, [enrollment]);

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
      await onEnabled(t(replacing ? 'settings.replaced' : 'settings.enabled'));
    });
  };

  if (!enrollment) {
    return (
      <form onSubmit={start} ref={passwordForm.form}>
        <h3>{t('settings.enable.step1')}</h3>
        <Alert error={passwordForm.rest} asked="password" />
        <Field
          label={t('settings.enable.password')}
          error={passwordForm.field('password')}
          type="password"
          value={password}
          onValue={setPassword}
          autoComplete="current-password"
          required
        />
        <div class="actions">
          <button type="submit" disabled={busy}>
            {t('settings.continue')}
          </button>
          {!me.session.restricted && (
            <button type="button" class="secondary" onClick={onCancel}>
              {t('settings.cancel')}
            </button>
          )}
        </div>
      </form>
    );
  }
  return (
    <div class="enrol" ref={steps}>
      <h3>{t('settings.enable.step2')}</h3>
      <div class="scan">
        <img
          class="qr"
          src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrollment.qrCodeSvg)}`}
          alt={t('settings.enable.qrAlt')}
          width={240}
          height={240}
        />
        <div>
          <p>{t('settings.enable.scan')}</p>
          <p class="secret">
            <code aria-label={t('settings.enable.secretLabel')} data-testid="secret">
              {groupSecret(enrollment.secret)}
            </code>
          </p>
          <div class="actions">
            <CopyButton text={enrollment.secret} label={t('settings.enable.copyKey')} />
            <a class="button secondary" href={enrollment.otpauthUri} aria-describedby="add-to-app-hint">
              {t('settings.enable.addToApp')}
            </a>
          </div>
          <p class="hint" id="add-to-app-hint">
            {t('settings.enable.addToAppHint')}
          </p>
        </div>
      </div>
      <h3>{t('settings.enable.saveCodes')}</h3>
      <div class="alert warning" role="note">
        <p>{tx('settings.enable.codesOnce')}</p>
      </div>
      <RecoveryCodes codes={enrollment.recoveryCodes} login={me.user.login} />
      <form onSubmit={confirm} ref={codeForm.form}>
        <h3>{t(replacing ? 'settings.enable.step3.replace' : 'settings.enable.step3')}</h3>
        {replacing && <p>{t('settings.enable.untilThen')}</p>}
        <Alert error={codeForm.rest} />
        <OtpField
          label={t('settings.enable.code')}
          value={code}
          onValue={setCode}
          error={codeForm.field('code')}
        />
        <div class="actions">
          <button type="submit" disabled={busy || code.length !== 6}>
            {t(replacing ? 'settings.enable.switch' : 'settings.enable.turnOn')}
          </button>
          {replacing && (
            <button type="button" class="secondary" onClick={onCancel}>
              {t('settings.enable.keepCurrent')}
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
  const [confirming, setConfirming] = useState(false);
  const [replacing, setReplacing] = useState(false);
  const { busy, error, run } = useAction();
  const strong = me.session.aal === 2;
  const remaining = status.recoveryCodesRemaining;
  const app = status.factors.includes('totp');

  const regenerate = () =>
    void run(async () => {
      const answer = await api.call('POST /api/v1/me/two-factor/recovery-codes');
      setCodes(answer.recoveryCodes);
      await onChanged(t('settings.regenerated'));
    });
  const disable = () =>
    void run(async () => {
      await api.call('DELETE /api/v1/me/two-factor');
      setConfirming(false);
      await onChanged(t('settings.disabled'));
    });
  const secondFactorNeeded = (
    <SecondFactorNeeded why={t('settings.stepUpWhy')} then={t('settings.stepUpThen')} signOut={signOut} />
  );

  return (
    <>
      <dl class="summary">
        <div>
          <dt>{t('settings.on.status')}</dt>
          <dd class="status on">
            <span class="badge">{t('settings.on.badge')}</span>
            {status.enabledAt && <> {t('settings.on.since', { date: formatDate(status.enabledAt) })}</>}
          </dd>
        </div>
        <div>
          <dt>{t('settings.on.app')}</dt>
          <dd>{t(app ? 'settings.on.app.yes' : 'settings.on.app.no')}</dd>
        </div>
        <div>
          <dt>{t('settings.on.recovery')}</dt>
          <dd
            class={remaining <= 1 ? 'recovery-count low' : 'recovery-count'}
            data-testid="recovery-remaining"
          >
            {t(remaining <= 1 ? 'settings.on.recovery.low' : 'settings.on.recovery.left', {
              remaining,
              total: RECOVERY_CODES,
            })}
          </dd>
        </div>
        <div>
          <dt>{t('settings.on.passkeys')}</dt>
          <dd>{t('settings.on.passkeys.count', { count: status.passkeys })}</dd>
        </div>
      </dl>
      {app &&
        status.clockDriftSeconds !== null &&
        Math.abs(status.clockDriftSeconds) >= DRIFT_WORTH_SAYING && (
          <div class="alert info" data-testid="clock-drift">
            <p>
              {t(status.clockDriftSeconds > 0 ? 'settings.drift.fast' : 'settings.drift.slow', {
                amount: offsetInWords(status.clockDriftSeconds),
              })}
            </p>
          </div>
        )}
      {readinessDue(status) && (
        <div class="alert info" data-testid="recovery-check-due">
          <p>{t('settings.recovery.due')}</p>
        </div>
      )}
      {codes && (
        <>
          <div class="alert warning" role="note">
            <p>{tx('settings.newCodes.once')}</p>
          </div>
          <RecoveryCodes codes={codes} login={me.user.login} />
        </>
      )}
      <Alert error={error} />
      <div class="tools">
        {app && (
          <Disclosure summary={t('settings.tools.test')}>
            <TestCode api={api} />
          </Disclosure>
        )}
        {app && (
          <Disclosure summary={t('settings.tools.fix')}>
            <FixCodes api={api} />
          </Disclosure>
        )}
        <Disclosure summary={t(app ? 'settings.tools.newPhone' : 'settings.tools.addApp')} open={replacing}>
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
              <p>{t(app ? 'settings.newPhone.text' : 'settings.addApp.text')}</p>
              <button type="button" class="secondary" onClick={() => setReplacing(true)}>
                {t(app ? 'settings.newPhone.button' : 'settings.addApp.button')}
              </button>
            </>
          )}
        </Disclosure>
        <Disclosure summary={t('settings.tools.recovery')} open={codes !== null}>
          <p>{t('settings.recovery.text')}</p>
          <RecoveryHistory status={status} />
          {strong ? (
            <div class="actions">
              <button type="button" class="secondary" disabled={busy} onClick={regenerate}>
                {t('settings.regenerate')}
              </button>
            </div>
          ) : (
            secondFactorNeeded
          )}
          <CheckRecoveryCode api={api} onChecked={onChanged} />
        </Disclosure>
        <Disclosure summary={t('settings.tools.turnOff')}>
          {me.twoFactor.required ? (
            <p>{t('settings.turnOff.policy')}</p>
          ) : !strong ? (
            secondFactorNeeded
          ) : confirming ? (
            <div class="confirm" role="group" aria-label={t('settings.turnOff.confirmLabel')}>
              <p>{t('settings.turnOff.text')}</p>
              <div class="actions">
                <button type="button" class="danger" disabled={busy} onClick={disable}>
                  {t('settings.turnOff.yes')}
                </button>
                <button type="button" class="secondary" onClick={() => setConfirming(false)}>
                  {t('settings.turnOff.keep')}
                </button>
              </div>
            </div>
          ) : (
            <button type="button" class="danger" onClick={() => setConfirming(true)}>
              {t('settings.turnOff.button')}
            </button>
          )}
        </Disclosure>
      </div>
    </>
  );
}

const RECOVERY_CODES = 4;
/** Drift is learned in 30 s steps: one step may be a code typed at a step's edge, two are a clock that is off. */
const DRIFT_WORTH_SAYING = 60;
/** How long recovery codes may go unseen before Settings asks to check one. */
const READINESS_DAYS = 90;

function readinessDue(status: TwoFactorStatus, now = Date.now()): boolean {
  const seen = [
    status.recoveryCodesIssuedAt,
    status.recoveryCodesLastUsedAt,
    status.recoveryCodesLastCheckedAt,
  ]
    .filter((at): at is string => at !== null)
    .map((at) => new Date(at).getTime());
  return (
    seen.length > 0 &&
    status.recoveryCodesRemaining > 0 &&
    now - Math.max(...seen) > READINESS_DAYS * 86_400_000
  );
}

function RecoveryHistory({ status }: { status: TwoFactorStatus }) {
  const when = (at: string | null) => (at ? formatDate(at) : t('settings.recovery.never'));
  return (
    <dl class="summary" data-testid="recovery-history">
      <div>
        <dt>{t('settings.recovery.issued')}</dt>
        <dd>{when(status.recoveryCodesIssuedAt)}</dd>
      </div>
      <div>
        <dt>{t('settings.recovery.lastUsed')}</dt>
        <dd>{when(status.recoveryCodesLastUsedAt)}</dd>
      </div>
      <div>
        <dt>{t('settings.recovery.lastChecked')}</dt>
        <dd>{when(status.recoveryCodesLastCheckedAt)}</dd>
      </div>
    </dl>
  );
}

/** Proves a saved code is at hand without using it up. */
function CheckRecoveryCode({
  api,
  onChecked,
}: Pick<SignedIn, 'api'> & { onChecked: (message: string) => Promise<void> }) {
  const [code, setCode] = useState('');
  const [invalid, setInvalid] = useState(false);
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      setInvalid(false);
      const { valid } = await api.call('POST /api/v1/me/two-factor/recovery-codes/check', { body: { code } });
      setCode('');
      if (valid) await onChecked(t('settings.recovery.valid'));
      else setInvalid(true);
    });
  };
  return (
    <form onSubmit={submit} class="check-recovery">
      <h3>{t('settings.recovery.check')}</h3>
      <p>{t('settings.recovery.check.text')}</p>
      <Alert error={error} asked="recovery code" />
      <Field
        label={t('app.stepUp.recoveryCode')}
        error={invalid ? t('settings.recovery.invalid') : undefined}
        value={code}
        onValue={setCode}
        autoComplete="off"
        autoCapitalize="characters"
        spellcheck={false}
        required
      />
      <button type="submit" class="secondary" disabled={busy || code.trim() === ''}>
        {t('settings.recovery.check.button')}
      </button>
    </form>
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
      <p>{t('settings.fix.text')}</p>
      <Alert error={error} />
      {drift !== null && <Notice>{t('settings.fix.done', { drift: driftInWords(drift) })}</Notice>}
      <OtpField label={t('settings.fix.code1')} value={code1} onValue={setCode1} />
      <OtpField
        label={t('settings.fix.code2')}
        hint={t('settings.fix.code2.hint')}
        value={code2}
        onValue={setCode2}
      />
      <button type="submit" class="secondary" disabled={busy || code1.length !== 6 || code2.length !== 6}>
        {t('settings.fix.button')}
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
      <p>{t('settings.test.text')}</p>
      <Alert error={error} />
      {result === true && <Notice>{t('settings.test.right')}</Notice>}
      {result === false && (
        <div class="alert error" role="alert">
          <p>{t('settings.test.wrong')}</p>
        </div>
      )}
      <OtpField label={t('settings.test.label')} value={code} onValue={setCode} />
      <button type="submit" class="secondary" disabled={busy || code.length !== 6}>
        {t('settings.test.button')}
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
  const fields = useFieldErrors(error, { invalid_credentials: 'password' }, 'password');
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
      <h2 id="email-title">{t('settings.email.title')}</h2>
      <p>
        <strong>{me.email.address}</strong>{' '}
        {t(me.email.verified ? 'settings.email.confirmed' : 'settings.email.unconfirmed')}
      </p>
      {me.email.pending && <p>{tx('settings.email.waiting', { address: me.email.pending })}</p>}
      {sent && (
        <Notice>
          {t(sent === me.email.address ? 'settings.email.sent' : 'settings.email.sentNew', { address: sent })}
        </Notice>
      )}
      <Disclosure summary={t('settings.email.change')}>
        <Alert error={fields.rest} asked="password" />
        <form onSubmit={submit} ref={fields.form}>
          <Field
            label={t('settings.email.new')}
            error={fields.field('email')}
            type="email"
            value={email}
            onValue={setEmail}
            autoComplete="email"
            required
          />
          <Field
            label={t('settings.email.password')}
            error={fields.field('password')}
            type="password"
            value={password}
            onValue={setPassword}
            autoComplete="current-password"
            required
          />
          <div class="actions">
            <button type="submit" class="secondary" disabled={busy}>
              {t('settings.email.change')}
            </button>
            {!me.email.verified && (
              <button
                type="button"
                class="link"
                disabled={busy || password === ''}
                onClick={() => ask(me.email.address)}
              >
                {t('settings.email.resend')}
              </button>
            )}
          </div>
        </form>
      </Disclosure>
    </section>
  );
}

function ChangePassword({ api }: Pick<SignedIn, 'api'>) {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [repeat, setRepeat] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, run, setError } = useAction();
  const fields = useFieldErrors(error, { invalid_credentials: 'currentPassword' }, 'password');
  const submit = (e: Event) => {
    e.preventDefault();
    setDone(false);
    if (newPassword !== repeat) {
      setError(
        new ApiError(400, 'validation_failed', '', undefined, [
          { path: 'repeat', message: t('settings.password.differ') },
        ]),
      );
      return;
    }
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
      <h2 id="password-title">{t('settings.password.title')}</h2>
      {done && <Notice>{t('settings.password.changed')}</Notice>}
      <Disclosure summary={t('settings.password.change')}>
        <Alert error={fields.rest} asked="password" />
        <form onSubmit={submit} ref={fields.form}>
          <Field
            label={t('settings.password.current')}
            error={fields.field('currentPassword')}
            type="password"
            value={currentPassword}
            onValue={setCurrent}
            autoComplete="current-password"
            required
          />
          <Field
            label={t('settings.password.new')}
            error={fields.field('newPassword')}
            type="password"
            hint={t('settings.password.new.hint')}
            value={newPassword}
            onValue={setNew}
            autoComplete="new-password"
            minLength={12}
            required
          />
          <Field
            label={t('settings.password.repeat')}
            error={fields.field('repeat')}
            type="password"
            value={repeat}
            onValue={setRepeat}
            autoComplete="new-password"
            required
          />
          <button type="submit" class="secondary" disabled={busy}>
            {t('settings.password.change')}
          </button>
        </form>
      </Disclosure>
    </section>
  );
}
