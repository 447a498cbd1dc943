import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../lib/api';
import { friendlyError, otpInput, recoveryCodesFile } from '../lib/format';
import { t } from '../i18n';

let nextId = 0;
export function useId(prefix: string): string {
  const ref = useRef<string>();
  ref.current ??= `${prefix}-${(nextId += 1)}`;
  return ref.current;
}

/** Focused before paint so keyboard and screen-reader users land on it, unless a field was already chosen. */
export function ScreenTitle({ children, id }: { children: ComponentChildren; id?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => {
    const active = document.activeElement;
    if (!active || active === document.body || !active.isConnected || active.closest('main') === null) {
      ref.current?.focus();
    }
  }, []);
  return (
    <h1 ref={ref} id={id} tabIndex={-1}>
      {children}
    </h1>
  );
}

type InputProps = Omit<JSX.IntrinsicElements['input'], 'label' | 'value' | 'onInput'> & {
  label: string;
  hint?: string;
  /** Shown beside the field, which is then marked invalid and described by it. */
  error?: string | undefined;
  value: string;
  onValue: (value: string) => void;
};

export function Field({ label, hint, error, value, onValue, ...input }: InputProps) {
  const id = useId('field');
  const describedBy = [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>{label}</label>
      <input
        id={id}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

type Asked = 'code' | 'recovery code' | 'password';

/**
 * A refusal split between a form's fields: validation details by their path, and the codes that
 * are about one field (a wrong password); what fits no field is left for the form's Alert. After
 * each refusal focus goes to the first invalid field.
 */
export function useFieldErrors(
  error: unknown,
  about: Partial<Record<string, string>> = {},
  asked: Asked = 'code',
) {
  const form = useRef<HTMLFormElement>(null);
  const byField: Record<string, string> = {};
  let rest: unknown = error;
  if (error instanceof ApiError) {
    for (const detail of error.details) byField[detail.path] ??= detail.message;
    const field = about[error.code];
    if (field) byField[field] = friendlyError(error, asked);
    if (field || error.details.length > 0) rest = null;
  }
  useEffect(() => {
    if (error) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);
  return { form, field: (name: string): string | undefined => byField[name], rest };
}

export function OtpField({
  label,
  value,
  onValue,
  hint = t('app.otp.hint'),
  autoFocus,
  error,
}: {
  label: string;
  value: string;
  onValue: (v: string) => void;
  hint?: string;
  autoFocus?: boolean;
  error?: string | undefined;
}) {
  return (
    <Field
      label={label}
      hint={hint}
      error={error}
      value={value}
      onValue={(v) => onValue(otpInput(v))}
      name="one-time-code"
      inputMode="numeric"
      pattern="[0-9]{6}"
      autoComplete="one-time-code"
      maxLength={6}
      required
      autoFocus={autoFocus}
      class="otp"
    />
  );
}

export function Alert({
  error,
  asked = 'code',
}: {
  error: unknown;
  asked?: 'code' | 'recovery code' | 'password';
}) {
  if (!error) return null;
  const message = error instanceof ApiError ? friendlyError(error, asked) : t('format.error.unknown');
  const details = error instanceof ApiError ? error.details : [];
  return (
    <div class="alert error" role="alert">
      <p>{message}</p>
      {details.length > 0 && (
        <ul>
          {details.map((d) => (
            <li key={d.path}>
              {d.path}: {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <div class="alert success" role="status">
      {children}
    </div>
  );
}

export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, setError };
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setCopied(false);
    }
  };
  return (
    <button type="button" class="secondary" onClick={() => void copy()}>
      {copied ? t('app.copied') : label}
      <span class="visually-hidden" aria-live="polite">
        {copied ? ` ${t('app.copiedAnnounce')}` : ''}
      </span>
    </button>
  );
}

export function DownloadButton({ text, filename, label }: { text: string; filename: string; label: string }) {
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };
  return (
    <button type="button" class="secondary" onClick={download}>
      {label}
    </button>
  );
}

export function RecoveryCodes({ codes, login }: { codes: readonly string[]; login: string }) {
  return (
    <div class="recovery-codes">
      <ol aria-label={t('app.codes.label')}>
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div class="actions">
        <CopyButton text={codes.join('\n')} label={t('app.codes.copy')} />
        <DownloadButton
          text={recoveryCodesFile(login, codes, new Date())}
          filename={`twofold-recovery-codes-${login}.txt`}
          label={t('app.codes.download')}
        />
      </div>
    </div>
  );
}

export function SecondFactorNeeded({
  why,
  then,
  signOut,
}: {
  why: string;
  then: string;
  signOut: (message?: string) => Promise<void>;
}) {
  return (
    <div class="alert info">
      <p>
        {why} {t('app.secondFactorNeeded.passwordOnly')}
      </p>
      <button type="button" onClick={() => void signOut(t('app.secondFactorNeeded.then', { then }))}>
        {t('app.secondFactorNeeded.button')}
      </button>
    </div>
  );
}

/** A rarely used tool, closed until asked for: the page stays short enough to scan. */
export function Disclosure({
  summary,
  open,
  children,
}: {
  summary: string;
  open?: boolean;
  children: ComponentChildren;
}) {
  return (
    <details class="disclosure" open={open}>
      <summary>{summary}</summary>
      <div class="disclosure-body">{children}</div>
    </details>
  );
}
