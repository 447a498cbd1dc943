import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Api, StepUpNeed } from '../lib/api';
import { passkeysSupported, usePasskey } from '../lib/passkeys';
import { t } from '../i18n';
import { Alert, Field, OtpField, useAction } from './ui';

/**
 * Asked in place when a sensitive change needs a fresh second factor: a code from the app (or a
 * recovery code), or — for a member without 2FA — the password. Once it is accepted, what the
 * member clicked goes through by itself.
 */
export function StepUpDialog({
  api,
  need,
  onDone,
}: {
  api: Api;
  need: StepUpNeed;
  onDone: (steppedUp: boolean) => void;
}) {
  const [value, setValue] = useState('');
  const [recovery, setRecovery] = useState(false);
  const { busy, error, run, setError } = useAction();
  const minutes = Math.max(1, Math.round(need.maxAgeSeconds / 60));
  const withPasskey = () =>
    void run(async () => {
      const { options } = await api.call('POST /api/v1/auth/step-up/options', { body: {} });
      const webauthn = await usePasskey(options);
      if (!webauthn) return;
      await api.call('POST /api/v1/auth/step-up', { body: { webauthn } });
      onDone(true);
    });
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await api.call('POST /api/v1/auth/step-up', {
        body: need.with === 'code' ? { code: value.trim() } : { password: value },
      });
      onDone(true);
    });
  };
  const switchField = () => {
    setRecovery(!recovery);
    setValue('');
    setError(null);
  };
  const ref = useModal(() => {
    if (!busy) onDone(false);
  });
  const why =
    need.with === 'password'
      ? 'app.stepUp.password'
      : need.passkey
        ? 'app.stepUp.codeOrPasskey'
        : 'app.stepUp.code';
  return (
    <dialog ref={ref} class="card dialog" aria-labelledby="step-up-title">
      <h2 id="step-up-title">{t('app.stepUp.title')}</h2>
      <p>{t(why, { minutes })}</p>
      <Alert
        error={error}
        asked={need.with === 'password' ? 'password' : recovery ? 'recovery code' : 'code'}
      />
      {need.passkey && passkeysSupported() && (
        <p>
          <button type="button" disabled={busy} onClick={withPasskey}>
            {t('app.stepUp.passkey')}
          </button>
        </p>
      )}
      <form onSubmit={submit}>
        {need.with === 'password' ? (
          <Field
            label={t('app.stepUp.password.label')}
            type="password"
            value={value}
            onValue={setValue}
            autoComplete="current-password"
            autoFocus
            required
          />
        ) : recovery ? (
          <Field
            key="recovery"
            label={t('app.stepUp.recoveryCode')}
            hint={t('app.stepUp.recoveryHint')}
            value={value}
            onValue={setValue}
            autoComplete="off"
            autoCapitalize="characters"
            spellcheck={false}
            autoFocus
            required
          />
        ) : (
          <OtpField key="app" label={t('app.stepUp.appCode')} value={value} onValue={setValue} autoFocus />
        )}
        {need.with === 'code' && (
          <p>
            <button type="button" class="link" onClick={switchField}>
              {t(recovery ? 'app.stepUp.useApp' : 'app.stepUp.useRecovery')}
            </button>
          </p>
        )}
        <div class="actions">
          <button type="submit" disabled={busy || value.trim() === ''}>
            {t('app.confirm')}
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={() => onDone(false)}>
            {t('app.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** The control a member last used: the one that opened the prompt may be disabled by then (busy). */
let lastFocused: HTMLElement | null = null;
document.addEventListener('focusin', (event) => {
  if (event.target instanceof HTMLElement && !event.target.closest('dialog')) lastFocused = event.target;
});

/**
 * A modal `<dialog>`: the page behind is inert, Escape cancels, Tab wraps inside it, and focus
 * goes back to what opened it.
 */
function useModal(onCancel: () => void) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancel = useRef(onCancel);
  cancel.current = onCancel;
  useLayoutEffect(() => {
    const dialog = ref.current!;
    const opener = lastFocused;
    const onCancelEvent = (event: Event) => {
      event.preventDefault();
      cancel.current();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Tab') return;
      const focusable = [...dialog.querySelectorAll<HTMLElement>('button, input, a[href]')].filter(
        (el) => !(el as HTMLButtonElement).disabled,
      );
      const [first, last] = [focusable[0], focusable[focusable.length - 1]];
      if (!first || !last) return;
      if (event.shiftKey ? document.activeElement === first : document.activeElement === last) {
        event.preventDefault();
        (event.shiftKey ? last : first).focus();
      }
    };
    dialog.addEventListener('cancel', onCancelEvent);
    dialog.addEventListener('keydown', onKey);
    dialog.showModal();
    return () => {
      dialog.removeEventListener('cancel', onCancelEvent);
      dialog.removeEventListener('keydown', onKey);
      dialog.close();
      // After the action it interrupted has ended and enabled its button again.
      setTimeout(() => opener?.isConnected && opener.focus());
    };
  }, []);
  return ref;
}
