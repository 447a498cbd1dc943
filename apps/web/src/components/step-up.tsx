import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Api, StepUpNeed } from '../lib/api';
import { passkeysSupported, usePasskey } from '../lib/passkeys';
import { Alert, Field, useAction } from './ui';

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
  const { busy, error, run } = useAction();
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
  const ref = useModal(() => {
    if (!busy) onDone(false);
  });
  return (
    <dialog ref={ref} class="card dialog" aria-labelledby="step-up-title">
      <h2 id="step-up-title">Confirm it’s you</h2>
      <p>
        {need.with === 'code'
          ? `This change needs your second factor again: ${need.passkey ? 'your passkey, or ' : ''}the code your authenticator app shows now, or a recovery code.`
          : 'This change needs your password again.'}{' '}
        It then counts for {minutes} minute{minutes === 1 ? '' : 's'}.
      </p>
      <Alert error={error} asked={need.with === 'code' ? 'recovery code' : 'code'} />
      {need.passkey && passkeysSupported() && (
        <p>
          <button type="button" disabled={busy} onClick={withPasskey}>
            Use my passkey
          </button>
        </p>
      )}
      <form onSubmit={submit}>
        {need.with === 'code' ? (
          <Field
            label="Code"
            hint="6 digits from the app, or a recovery code such as ABCD-EFGH-JKMN."
            value={value}
            onValue={setValue}
            name="one-time-code"
            autoComplete="one-time-code"
            autoFocus
            required
          />
        ) : (
          <Field
            label="Password"
            type="password"
            value={value}
            onValue={setValue}
            autoComplete="current-password"
            autoFocus
            required
          />
        )}
        <div class="actions">
          <button type="submit" disabled={busy || value.trim() === ''}>
            Confirm
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={() => onDone(false)}>
            Cancel
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
