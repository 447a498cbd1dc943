import type {
  AccountPolicy,
  ApplicationCredential,
  AssignableRole,
  ComplianceView,
  Role,
  TeamMember,
} from '@twofold/contracts';
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Alert, CopyButton, Field, Notice, ScreenTitle, useAction } from '../components/ui';
import { formatDate, t, tx } from '../i18n';
import { deadlineInWords, expiryOf, generatePassword } from '../lib/format';
import type { SignedIn } from '../lib/me';

const ASSIGNABLE: readonly AssignableRole[] = ['admin', 'billing', 'ops'];
/** The roles form is offered for members other than the owner, whose roles are all assignable. */
const isAssignable = (role: Role): role is AssignableRole => (ASSIGNABLE as readonly Role[]).includes(role);

const randomBytes = (n: number) => crypto.getRandomValues(new Uint8Array(n));

export function TeamScreen(props: SignedIn) {
  const { api } = props;
  const [members, setMembers] = useState<TeamMember[] | null>(null);
  const [notice, setNotice] = useState<ComponentChildren>(null);
  const { error, run } = useAction();
  const load = () => run(async () => setMembers((await api.call('GET /api/v1/account/members')).members));
  useEffect(() => void load(), []);
  // The list is read again first, so the message never describes a list not yet updated.
  const changed = async (message: ComponentChildren) => {
    await load();
    setNotice(message);
  };

  return (
    <>
      <ScreenTitle>{t('team.title')}</ScreenTitle>
      {notice && <Notice>{notice}</Notice>}
      <Alert error={error} />
      <TwoFactorPolicy {...props} />
      <section class="card" aria-labelledby="members-title">
        <h2 id="members-title">{t('team.members')}</h2>
        {members === null ? (
          <p aria-busy="true">{t('team.loading')}</p>
        ) : (
          <ul class="members">
            {members.map((member) => (
              <MemberRow key={member.id} {...props} member={member} onChanged={changed} />
            ))}
          </ul>
        )}
      </section>
      <AddMember {...props} onAdded={changed} />
    </>
  );
}

type PolicyDraft = Pick<AccountPolicy, 'requireTwoFactor' | 'notifyNewDevice'> & { grace: string };

/** One form, saved by one button: the grace period sits under the requirement it belongs to. */
function TwoFactorPolicy({ api, me }: SignedIn) {
  const [policy, setPolicy] = useState<AccountPolicy | null>(null);
  const [draft, setDraft] = useState<PolicyDraft | null>(null);
  const [compliance, setCompliance] = useState<ComplianceView | null>(null);
  const [saved, setSaved] = useState<string[]>([]);
  const { busy, error, run } = useAction();
  const draftOf = (p: AccountPolicy): PolicyDraft => ({
    requireTwoFactor: p.requireTwoFactor,
    notifyNewDevice: p.notifyNewDevice,
    grace: String(p.gracePeriodDays),
  });
  const loadCompliance = async () =>
    setCompliance(await api.call('GET /api/v1/account/two-factor-compliance'));
  useEffect(
    () =>
      void run(async () => {
        const loaded = await api.call('GET /api/v1/account/policy');
        setPolicy(loaded);
        setDraft(draftOf(loaded));
        await loadCompliance();
      }),
    [],
  );
  const update = (change: Partial<PolicyDraft>) => {
    if (draft) setDraft({ ...draft, ...change });
    setSaved([]);
  };
  const changes = (): Partial<AccountPolicy> => {
    if (!policy || !draft) return {};
    return {
      ...(draft.requireTwoFactor !== policy.requireTwoFactor
        ? { requireTwoFactor: draft.requireTwoFactor }
        : {}),
      ...(Number(draft.grace) !== policy.gracePeriodDays ? { gracePeriodDays: Number(draft.grace) } : {}),
      ...(draft.notifyNewDevice !== policy.notifyNewDevice ? { notifyNewDevice: draft.notifyNewDevice } : {}),
    };
  };
  const save = (e: Event) => {
    e.preventDefault();
    const body = changes();
    void run(async () => {
      const after = await api.call('PUT /api/v1/account/policy', { body });
      setPolicy(after);
      setDraft(draftOf(after));
      setSaved(savedWords(body, after, me.twoFactor.enabled));
      await loadCompliance();
    });
  };
  return (
    <section class="card" aria-labelledby="policy-title">
      <h2 id="policy-title">{t('team.policy.title')}</h2>
      <Alert error={error} />
      {draft && (
        <form onSubmit={save}>
          <label class="check">
            <input
              type="checkbox"
              checked={draft.requireTwoFactor}
              onChange={(e) => update({ requireTwoFactor: e.currentTarget.checked })}
            />
            {t('team.policy.require')}
          </label>
          <div class="nested">
            <Field
              label={t('team.policy.grace')}
              hint={t('team.policy.graceHint')}
              type="number"
              min={0}
              max={90}
              step={1}
              value={draft.grace}
              onValue={(grace) => update({ grace })}
              required
            />
            <p class="hint">{t('team.policy.exempt')}</p>
          </div>
          <label class="check">
            <input
              type="checkbox"
              checked={draft.notifyNewDevice}
              onChange={(e) => update({ notifyNewDevice: e.currentTarget.checked })}
            />
            {t('team.policy.notifyNewDevice')}
          </label>
          <button type="submit" class="secondary" disabled={busy || Object.keys(changes()).length === 0}>
            {t('team.policy.save')}
          </button>
        </form>
      )}
      {saved.length > 0 && (
        <div class="hint" role="status">
          {saved.map((line) => (
            <p key={line}>{line}</p>
          ))}
        </div>
      )}
      {compliance && policy?.requireTwoFactor && <ComplianceList compliance={compliance} />}
    </section>
  );
}

function savedWords(body: Partial<AccountPolicy>, policy: AccountPolicy, selfEnabled: boolean): string[] {
  const words: string[] = [];
  if (
    body.requireTwoFactor !== undefined ||
    (body.gracePeriodDays !== undefined && policy.requireTwoFactor)
  ) {
    words.push(
      !policy.requireTwoFactor
        ? t('team.saved.optional')
        : policy.gracePeriodDays > 0
          ? t('team.saved.requiredWithGrace', { days: policy.gracePeriodDays })
          : t(selfEnabled ? 'team.saved.requiredNow' : 'team.saved.requiredNowYou'),
    );
  } else if (body.gracePeriodDays !== undefined) {
    words.push(t('team.saved.grace', { days: policy.gracePeriodDays }));
  }
  if (body.notifyNewDevice !== undefined)
    words.push(t(policy.notifyNewDevice ? 'team.saved.notifyOn' : 'team.saved.notifyOff'));
  return words;
}

/** Who has 2FA, who is exempt, and who must turn it on by when. */
function ComplianceList({ compliance }: { compliance: ComplianceView }) {
  const left = compliance.members.filter((m) => !m.enabled && !m.exempt).length;
  return (
    <>
      <h3 id="compliance-title">{t('team.compliance.title')}</h3>
      <p class="hint">
        {left === 0 ? t('team.compliance.allDone') : t('team.compliance.left', { count: left })}
      </p>
      <ul class="compliance" aria-labelledby="compliance-title">
        {compliance.members.map((member) => (
          <li key={member.id} data-testid="compliance-row">
            <span class="login">{member.login}</span>{' '}
            <span class={`badge ${member.enabled ? 'on' : member.exempt ? 'muted' : 'warn'}`}>
              {member.enabled
                ? t('team.compliance.on')
                : member.exempt
                  ? t('team.compliance.exempt')
                  : member.deadline
                    ? Date.parse(member.deadline) <= Date.now()
                      ? t('team.compliance.overdue')
                      : t('team.compliance.needs', { deadline: deadlineInWords(member.deadline) })
                    : t('team.compliance.off')}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

function RolePicker({
  roles,
  onChange,
  legend,
}: {
  roles: AssignableRole[];
  onChange: (r: AssignableRole[]) => void;
  legend: string;
}) {
  return (
    <fieldset class="roles">
      <legend>{legend}</legend>
      {ASSIGNABLE.map((role) => (
        <label class="check" key={role}>
          <input
            type="checkbox"
            name="role"
            value={role}
            checked={roles.includes(role)}
            onChange={(e) =>
              onChange(e.currentTarget.checked ? [...roles, role] : roles.filter((r) => r !== role))
            }
          />
          {t(`team.role.${role}`)} <span class="hint">— {t(`team.roleHint.${role}`)}</span>
        </label>
      ))}
    </fieldset>
  );
}

type Pending = 'roles' | 'password' | 'owner' | 'remove' | 'reset' | 'withdraw' | null;

function MemberRow({
  api,
  me,
  member,
  onChanged,
  signOut,
}: SignedIn & { member: TeamMember; onChanged: (message: ComponentChildren) => Promise<void> }) {
  const [pending, setPending] = useState<Pending>(null);
  const [roles, setRoles] = useState<AssignableRole[]>(member.roles.filter(isAssignable));
  const { busy, error, run } = useAction();
  const isOwner = member.roles.includes('owner');
  const isMe = member.id === me.user.id;
  // Nobody knows another person's password: only an ops-only (automation) member's is set here.
  const automation = member.roles.every((role) => role === 'ops');
  const invited = member.invitation !== null;

  const act = (action: () => Promise<unknown>, message: ComponentChildren) =>
    void run(async () => {
      await action();
      setPending(null);
      await onChanged(message);
    });

  return (
    <li class="member" aria-label={member.login}>
      <div class="member-head">
        <div>
          <strong>{member.login}</strong>
          {isMe && ` ${t('team.you')}`}
          <div class="muted">{member.email}</div>
          {member.invitation && (
            <div class="muted">
              {Date.parse(member.invitation.expiresAt) > Date.now()
                ? t('team.invited', { date: formatDate(member.invitation.expiresAt) })
                : t('team.invitationExpired')}
            </div>
          )}
        </div>
        <div class="role-list">
          {member.roles.map((role) => (
            <span class="badge" key={role}>
              {t(`team.role.${role}`)}
            </span>
          ))}
        </div>
      </div>
      <Alert error={error} />
      {!isOwner && !isMe && invited && pending === null && (
        <div class="actions">
          <button
            type="button"
            class="secondary"
            disabled={busy}
            onClick={() =>
              act(
                () => api.call('POST /api/v1/account/members/:id/invitation', { params: { id: member.id } }),
                t('team.invitationSent', { login: member.login }),
              )
            }
          >
            {t('team.sendInvitationAgain')}
          </button>
          <button type="button" class="danger" onClick={() => setPending('withdraw')}>
            {t('team.withdrawInvitation')}
          </button>
        </div>
      )}
      {!isOwner && !isMe && !invited && pending === null && (
        <details class="menu manage">
          <summary>{t('team.manage', { login: member.login })}</summary>
          <div class="actions">
            <button type="button" class="secondary" onClick={() => setPending('roles')}>
              {t('team.changeRoles')}
            </button>
            {automation ? (
              <button type="button" class="secondary" onClick={() => setPending('password')}>
                {t('team.setPassword')}
              </button>
            ) : (
              <button
                type="button"
                class="secondary"
                disabled={busy}
                onClick={() =>
                  act(
                    () =>
                      api.call('POST /api/v1/account/members/:id/password-reset-link', {
                        params: { id: member.id },
                      }),
                    t('team.resetLinkSent', { login: member.login }),
                  )
                }
              >
                {t('team.emailResetLink')}
              </button>
            )}
            {!automation && (
              <button type="button" class="secondary" onClick={() => setPending('reset')}>
                {t('team.reset2fa')}
              </button>
            )}
            {!automation && (
              <button
                type="button"
                class="secondary"
                disabled={busy}
                onClick={() =>
                  act(
                    () =>
                      api.call('POST /api/v1/account/members/:id/two-factor/resync-link', {
                        params: { id: member.id },
                      }),
                    t('team.resyncLinkSent', { login: member.login }),
                  )
                }
              >
                {t('team.sendResyncLink')}
              </button>
            )}
            {me.user.roles.includes('owner') && (
              <button type="button" class="secondary" onClick={() => setPending('owner')}>
                {t('team.makeOwner')}
              </button>
            )}
            <button type="button" class="danger" onClick={() => setPending('remove')}>
              {t('team.remove')}
            </button>
          </div>
        </details>
      )}
      {!isOwner && !isMe && !invited && pending === null && <MemberCredentials api={api} member={member} />}
      {pending === 'roles' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            act(
              () =>
                api.call('PATCH /api/v1/account/members/:id', { body: { roles }, params: { id: member.id } }),
              t('team.rolesChanged', { login: member.login }),
            );
          }}
        >
          <RolePicker legend={t('team.rolesOf', { login: member.login })} roles={roles} onChange={setRoles} />
          <div class="actions">
            <button type="submit" disabled={busy || roles.length === 0}>
              {t('team.saveRoles')}
            </button>
            <button type="button" class="secondary" onClick={() => setPending(null)}>
              {t('team.cancel')}
            </button>
          </div>
        </form>
      )}
      {pending === 'password' && (
        <SetPassword
          member={member}
          busy={busy}
          onSet={(password, generated) =>
            act(
              () =>
                api.call('PUT /api/v1/account/members/:id/password', {
                  body: { password },
                  params: { id: member.id },
                }),
              generated ? (
                <PasswordShownOnce login={member.login} password={password} what="changed" />
              ) : (
                t('team.passwordSet', { login: member.login })
              ),
            )
          }
          onCancel={() => setPending(null)}
        />
      )}
      {pending === 'owner' && (
        <Confirm
          text={t('team.owner.confirm', { login: member.login })}
          action={t('team.owner.yes', { login: member.login })}
          busy={busy}
          onYes={() =>
            void run(async () => {
              await api.call('POST /api/v1/account/ownership', { body: { memberId: member.id } });
              await signOut(t('team.owner.done', { login: member.login }));
            })
          }
          onNo={() => setPending(null)}
        />
      )}
      {pending === 'reset' && (
        <Confirm
          text={t('team.reset.confirm', { login: member.login })}
          action={t('team.reset.yes')}
          busy={busy}
          onYes={() =>
            act(
              () => api.call('DELETE /api/v1/account/members/:id/two-factor', { params: { id: member.id } }),
              t('team.reset.done', { login: member.login }),
            )
          }
          onNo={() => setPending(null)}
        />
      )}
      {pending === 'withdraw' && (
        <Confirm
          text={t('team.withdraw.confirm', { login: member.login })}
          action={t('team.withdraw.yes')}
          busy={busy}
          onYes={() =>
            act(
              () => api.call('DELETE /api/v1/account/members/:id/invitation', { params: { id: member.id } }),
              t('team.withdraw.done', { login: member.login }),
            )
          }
          onNo={() => setPending(null)}
        />
      )}
      {pending === 'remove' && (
        <Confirm
          text={t('team.remove.confirm', { login: member.login })}
          action={t('team.remove.yes', { login: member.login })}
          busy={busy}
          onYes={() =>
            act(
              () => api.call('DELETE /api/v1/account/members/:id', { params: { id: member.id } }),
              t('team.remove.done', { login: member.login }),
            )
          }
          onNo={() => setPending(null)}
        />
      )}
    </li>
  );
}

function Confirm(props: {
  text: string;
  action: string;
  busy: boolean;
  onYes: () => void;
  onNo: () => void;
}) {
  return (
    <div class="confirm" role="group" aria-label={t('team.confirm')}>
      <p>{props.text}</p>
      <div class="actions">
        <button type="button" class="danger" disabled={props.busy} onClick={props.onYes}>
          {props.action}
        </button>
        <button type="button" class="secondary" onClick={props.onNo}>
          {t('team.cancel')}
        </button>
      </div>
    </div>
  );
}

function AddMember({ api, onAdded }: SignedIn & { onAdded: (message: ComponentChildren) => Promise<void> }) {
  const [login, setLogin] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState<NewPassword>(NO_PASSWORD);
  const [roles, setRoles] = useState<AssignableRole[]>(['ops']);
  const { busy, error, run } = useAction();
  // An ops-only member is automation, with a password the caller keeps; anyone else is invited.
  const automation = roles.length > 0 && roles.every((role) => role === 'ops');

  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await api.call('POST /api/v1/account/members', {
        body: {
          login,
          email,
          roles,
          ...(automation ? { password: password.value } : {}),
        },
      });
      const shown = automation && password.generated ? password.value : null;
      setLogin('');
      setEmail('');
      setPassword(NO_PASSWORD);
      await onAdded(
        shown ? (
          <PasswordShownOnce login={login} password={shown} what="added" />
        ) : automation ? (
          t('team.add.added', { login })
        ) : (
          t('team.add.invited', { login, email })
        ),
      );
    });
  };

  return (
    <section class="card" aria-labelledby="add-title">
      <h2 id="add-title">{t('team.add.title')}</h2>
      <Alert error={error} />
      <form onSubmit={submit}>
        <Field label={t('team.add.login')} value={login} onValue={setLogin} autoComplete="off" required />
        <Field
          label={t('team.add.email')}
          type="email"
          value={email}
          onValue={setEmail}
          autoComplete="off"
          required
        />
        <RolePicker legend={t('team.add.roles')} roles={roles} onChange={setRoles} />
        {automation ? (
          <NewPasswordField
            label={t('team.add.password')}
            hint={t('team.add.passwordHint')}
            password={password}
            onChange={setPassword}
          />
        ) : (
          <p class="hint">{t('team.add.invitationHint')}</p>
        )}
        <div class="actions">
          <button type="submit" disabled={busy || roles.length === 0}>
            {automation ? t('team.add.add') : t('team.add.invite')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** A generated password, shown this once, to put in the automation's secret store. */
function PasswordShownOnce({
  login,
  password,
  what,
}: {
  login: string;
  password: string;
  what: 'added' | 'changed';
}) {
  return (
    <>
      <p>{tx(`team.shownOnce.${what}`, { login })}</p>
      <p class="secret">
        <code data-testid="generated-password">{password}</code>
      </p>
      <CopyButton text={password} label={t('team.copyPassword')} />
    </>
  );
}

function SetPassword({
  member,
  busy,
  onSet,
  onCancel,
}: {
  member: TeamMember;
  busy: boolean;
  onSet: (password: string, generated: boolean) => void;
  onCancel: () => void;
}) {
  const [password, setPassword] = useState<NewPassword>(NO_PASSWORD);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSet(password.value, password.generated);
      }}
    >
      <NewPasswordField
        label={t('team.newPasswordFor', { login: member.login })}
        hint={t('team.newPasswordHint')}
        password={password}
        onChange={setPassword}
      />
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t('team.setPassword')}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          {t('team.cancel')}
        </button>
      </div>
    </form>
  );
}

/** A new password, typed, or generated (then shown in clear: it is shown once more after saving). */
interface NewPassword {
  value: string;
  generated: boolean;
}
const NO_PASSWORD: NewPassword = { value: '', generated: false };

function NewPasswordField(props: {
  label: string;
  hint: string;
  password: NewPassword;
  onChange: (password: NewPassword) => void;
}) {
  return (
    <>
      <Field
        label={props.label}
        type={props.password.generated ? 'text' : 'password'}
        hint={props.hint}
        value={props.password.value}
        onValue={(value) => props.onChange({ value, generated: false })}
        autoComplete="new-password"
        minLength={12}
        required
      />
      <div class="actions">
        <button
          type="button"
          class="secondary"
          onClick={() => props.onChange({ value: generatePassword(randomBytes), generated: true })}
        >
          {t('team.generatePassword')}
        </button>
      </div>
    </>
  );
}

/** A member's application credentials, read when the disclosure is first opened; an admin may delete one. */
function MemberCredentials({ api, member }: Pick<SignedIn, 'api'> & { member: TeamMember }) {
  const [credentials, setCredentials] = useState<ApplicationCredential[] | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const params = { id: member.id };
  const load = () =>
    run(async () =>
      setCredentials(
        (await api.call('GET /api/v1/account/members/:id/application-credentials', { params })).credentials,
      ),
    );
  const remove = (credential: ApplicationCredential) =>
    void run(async () => {
      await api.call('DELETE /api/v1/account/members/:id/application-credentials/:credentialId', {
        params: { ...params, credentialId: credential.id },
      });
      setConfirming(null);
      setNotice(t('team.credentials.deleted', { name: credential.name, login: member.login }));
      await load();
    });
  return (
    <details
      class="menu credentials"
      onToggle={(e) => {
        if (e.currentTarget.open && credentials === null) void load();
      }}
    >
      <summary>{t('team.credentials.title')}</summary>
      {notice && <Notice>{notice}</Notice>}
      <Alert error={error} />
      {credentials === null ? (
        <p aria-busy="true">{t('team.loading')}</p>
      ) : credentials.length === 0 ? (
        <p>{t('team.credentials.none', { login: member.login })}</p>
      ) : (
        <ul class="credentials" aria-label={t('team.credentials.of', { login: member.login })}>
          {credentials.map((c) => (
            <li key={c.id}>
              <span>
                <strong>{c.name}</strong> — {c.roles.map((role) => t(`team.role.${role}`)).join(', ')} ·{' '}
                {expiryOf(c.expiresAt)}
              </span>
              {confirming === c.id ? (
                <span
                  class="confirm"
                  role="group"
                  aria-label={t('team.credentials.confirm', { name: c.name })}
                >
                  <span>{t('team.credentials.question', { name: c.name })}</span>
                  <button type="button" class="danger" disabled={busy} onClick={() => remove(c)}>
                    {t('team.credentials.yes')}
                  </button>
                  <button type="button" class="secondary" onClick={() => setConfirming(null)}>
                    {t('team.credentials.keep')}
                  </button>
                </span>
              ) : (
                <button
                  type="button"
                  class="danger"
                  aria-label={t('team.credentials.deleteLabel', { name: c.name })}
                  onClick={() => setConfirming(c.id)}
                >
                  {t('team.credentials.delete')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
