import type { AccountPolicy, AssignableRole, ComplianceView, Role, TeamMember } from '@twofold/contracts';
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Alert, CopyButton, Field, Notice, ScreenTitle, useAction } from '../components/ui';
import { deadlineInWords, generatePassword } from '../lib/format';
import type { SignedIn } from '../lib/me';

const ASSIGNABLE: readonly AssignableRole[] = ['admin', 'billing', 'ops'];
/** The roles form is offered for members other than the owner, whose roles are all assignable. */
const isAssignable = (role: Role): role is AssignableRole => (ASSIGNABLE as readonly Role[]).includes(role);
const ROLE_HINTS: Record<AssignableRole, string> = {
  admin: 'manages members, policy and the audit log',
  billing: 'billing only',
  ops: 'automation: API and OpenStack tokens by password',
};

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
      <ScreenTitle>Team</ScreenTitle>
      {notice && <Notice>{notice}</Notice>}
      <Alert error={error} />
      <TwoFactorPolicy {...props} />
      <section class="card" aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        {members === null ? (
          <p aria-busy="true">Loading…</p>
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

function TwoFactorPolicy({ api, me }: SignedIn) {
  const [policy, setPolicy] = useState<AccountPolicy | null>(null);
  const [grace, setGrace] = useState('0');
  const [compliance, setCompliance] = useState<ComplianceView | null>(null);
  const { busy, error, run } = useAction();
  const loadCompliance = async () =>
    setCompliance(await api.call('GET /api/v1/account/two-factor-compliance'));
  useEffect(
    () =>
      void run(async () => {
        const loaded = await api.call('GET /api/v1/account/policy');
        setPolicy(loaded);
        setGrace(String(loaded.gracePeriodDays));
        await loadCompliance();
      }),
    [],
  );
  const [saved, setSaved] = useState<keyof AccountPolicy | null>(null);
  // The box shows the new state at once and goes back if the server refuses it.
  const change = (update: Partial<AccountPolicy>, key: keyof AccountPolicy) => {
    const before = policy;
    if (before) setPolicy({ ...before, ...update });
    setSaved(null);
    void run(async () => {
      try {
        const after = await api.call('PUT /api/v1/account/policy', { body: update });
        setPolicy(after);
        setGrace(String(after.gracePeriodDays));
        setSaved(key);
        await loadCompliance();
      } catch (failure) {
        setPolicy(before);
        throw failure;
      }
    });
  };
  const saveGrace = (e: Event) => {
    e.preventDefault();
    change({ gracePeriodDays: Number(grace) }, 'gracePeriodDays');
  };
  return (
    <section class="card" aria-labelledby="policy-title">
      <h2 id="policy-title">Account policy</h2>
      <Alert error={error} />
      {policy && (
        <form class="inline" onSubmit={saveGrace}>
          <Field
            label="Grace period (days)"
            hint="How long members without 2FA keep full access once the requirement starts (or they join), 0 to 90. They are reminded by e-mail when it starts, 7 days and 1 day before."
            type="number"
            min={0}
            max={90}
            step={1}
            value={grace}
            onValue={setGrace}
            required
          />
          <button type="submit" class="secondary" disabled={busy || Number(grace) === policy.gracePeriodDays}>
            Save grace period
          </button>
        </form>
      )}
      {policy && (
        <label class="check">
          <input
            type="checkbox"
            checked={policy.requireTwoFactor}
            disabled={busy}
            onChange={(e) => change({ requireTwoFactor: e.currentTarget.checked }, 'requireTwoFactor')}
          />
          Require two-factor authentication for every member
        </label>
      )}
      <p class="hint">Ops-only automation members are exempt: they sign in by password.</p>
      {policy && (
        <label class="check">
          <input
            type="checkbox"
            checked={policy.notifyNewDevice}
            disabled={busy}
            onChange={(e) => change({ notifyNewDevice: e.currentTarget.checked }, 'notifyNewDevice')}
          />
          E-mail members when they sign in from a new device
        </label>
      )}
      {saved && policy && (
        <p class="hint" role="status">
          {saved === 'notifyNewDevice'
            ? policy.notifyNewDevice
              ? 'Saved. A sign-in from a browser or client a member has not used before is e-mailed to them.'
              : 'Saved. Sign-ins from new devices are no longer e-mailed.'
            : saved === 'gracePeriodDays'
              ? `Saved. Members without 2FA have ${policy.gracePeriodDays === 0 ? 'no grace period' : `${policy.gracePeriodDays} day${policy.gracePeriodDays === 1 ? '' : 's'}`}.`
              : policy.requireTwoFactor
                ? policy.gracePeriodDays > 0
                  ? `Saved. Members without 2FA have ${policy.gracePeriodDays} day${policy.gracePeriodDays === 1 ? '' : 's'} to turn it on, and are told by e-mail.`
                  : `Saved. Members without 2FA can only enrol until they turn it on${me.twoFactor.enabled ? '' : ' — including you, from now on'}.`
                : 'Saved. 2FA is up to each member.'}
        </p>
      )}
      {compliance && policy?.requireTwoFactor && <ComplianceList compliance={compliance} />}
    </section>
  );
}

/** Who has 2FA, who is exempt, and who must turn it on by when. */
function ComplianceList({ compliance }: { compliance: ComplianceView }) {
  const left = compliance.members.filter((m) => !m.enabled && !m.exempt).length;
  return (
    <>
      <h3 id="compliance-title">Two-factor authentication by member</h3>
      <p class="hint">
        {left === 0
          ? 'Every member who needs 2FA has it.'
          : `${left} member${left === 1 ? '' : 's'} still without 2FA.`}
      </p>
      <ul class="compliance" aria-labelledby="compliance-title">
        {compliance.members.map((member) => (
          <li key={member.id} data-testid="compliance-row">
            <span class="login">{member.login}</span>{' '}
            <span class={`badge ${member.enabled ? 'on' : member.exempt ? 'muted' : 'warn'}`}>
              {member.enabled
                ? '2FA on'
                : member.exempt
                  ? 'Exempt (automation)'
                  : member.deadline
                    ? Date.parse(member.deadline) <= Date.now()
                      ? 'Overdue: may only enrol'
                      : `Needs 2FA ${deadlineInWords(member.deadline)}`
                    : '2FA off'}
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
          {role} <span class="hint">— {ROLE_HINTS[role]}</span>
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
          {isMe && ' (you)'}
          <div class="muted">{member.email}</div>
          {member.invitation && (
            <div class="muted">
              {Date.parse(member.invitation.expiresAt) > Date.now()
                ? `Invited: has not chosen a password yet (the invitation lasts until ${new Date(member.invitation.expiresAt).toLocaleDateString()})`
                : 'Invited: the invitation expired'}
            </div>
          )}
        </div>
        <div class="role-list">
          {member.roles.map((role) => (
            <span class="badge" key={role}>
              {role}
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
                `${member.login} was e-mailed a new invitation; the earlier link no longer works.`,
              )
            }
          >
            Send the invitation again
          </button>
          <button type="button" class="danger" onClick={() => setPending('withdraw')}>
            Withdraw the invitation
          </button>
        </div>
      )}
      {!isOwner && !isMe && !invited && pending === null && (
        <div class="actions">
          <button type="button" class="secondary" onClick={() => setPending('roles')}>
            Change roles
          </button>
          {automation ? (
            <button type="button" class="secondary" onClick={() => setPending('password')}>
              Set password
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
                  `${member.login} was e-mailed a link to choose a new password.`,
                )
              }
            >
              E-mail a password reset link
            </button>
          )}
          {!automation && (
            <button type="button" class="secondary" onClick={() => setPending('reset')}>
              Reset 2FA
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
                  `${member.login} was e-mailed a link to make their authenticator’s codes work again.`,
                )
              }
            >
              Send a link to fix codes
            </button>
          )}
          {me.user.roles.includes('owner') && (
            <button type="button" class="secondary" onClick={() => setPending('owner')}>
              Make owner
            </button>
          )}
          <button type="button" class="danger" onClick={() => setPending('remove')}>
            Remove
          </button>
        </div>
      )}
      {pending === 'roles' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            act(
              () =>
                api.call('PATCH /api/v1/account/members/:id', { body: { roles }, params: { id: member.id } }),
              `${member.login}’s roles are changed.`,
            );
          }}
        >
          <RolePicker legend={`Roles of ${member.login}`} roles={roles} onChange={setRoles} />
          <div class="actions">
            <button type="submit" disabled={busy || roles.length === 0}>
              Save roles
            </button>
            <button type="button" class="secondary" onClick={() => setPending(null)}>
              Cancel
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
                <PasswordShownOnce login={member.login} password={password} what="has a new password" />
              ) : (
                `${member.login} has a new password; their sessions were ended.`
              ),
            )
          }
          onCancel={() => setPending(null)}
        />
      )}
      {pending === 'owner' && (
        <Confirm
          text={`Hand ownership of the account to ${member.login}? You become an admin, and both of you sign in again.`}
          action={`Yes, make ${member.login} the owner`}
          busy={busy}
          onYes={() =>
            void run(async () => {
              await api.call('POST /api/v1/account/ownership', { body: { memberId: member.id } });
              await signOut(`${member.login} is now the owner and you are an admin. Sign in again.`);
            })
          }
          onNo={() => setPending(null)}
        />
      )}
      {pending === 'reset' && (
        <Confirm
          text={`Reset ${member.login}’s 2FA? They sign in with the password only until they enrol again.`}
          action="Yes, reset 2FA"
          busy={busy}
          onYes={() =>
            act(
              () => api.call('DELETE /api/v1/account/members/:id/two-factor', { params: { id: member.id } }),
              `${member.login}’s 2FA is reset.`,
            )
          }
          onNo={() => setPending(null)}
        />
      )}
      {pending === 'withdraw' && (
        <Confirm
          text={`Withdraw ${member.login}’s invitation? Its link stops working and ${member.login} leaves the list.`}
          action="Yes, withdraw it"
          busy={busy}
          onYes={() =>
            act(
              () => api.call('DELETE /api/v1/account/members/:id/invitation', { params: { id: member.id } }),
              `${member.login}’s invitation is withdrawn.`,
            )
          }
          onNo={() => setPending(null)}
        />
      )}
      {pending === 'remove' && (
        <Confirm
          text={`Remove ${member.login} from the account? Their sessions end at once.`}
          action={`Yes, remove ${member.login}`}
          busy={busy}
          onYes={() =>
            act(
              () => api.call('DELETE /api/v1/account/members/:id', { params: { id: member.id } }),
              `${member.login} is removed.`,
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
    <div class="confirm" role="group" aria-label="Confirm">
      <p>{props.text}</p>
      <div class="actions">
        <button type="button" class="danger" disabled={props.busy} onClick={props.onYes}>
          {props.action}
        </button>
        <button type="button" class="secondary" onClick={props.onNo}>
          Cancel
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
          <PasswordShownOnce login={login} password={shown} what="is added" />
        ) : automation ? (
          `${login} is added.`
        ) : (
          `${login} is invited: we e-mailed ${email} a link to choose a password.`
        ),
      );
    });
  };

  return (
    <section class="card" aria-labelledby="add-title">
      <h2 id="add-title">Add a member</h2>
      <Alert error={error} />
      <form onSubmit={submit}>
        <Field label="Login" value={login} onValue={setLogin} autoComplete="off" required />
        <Field label="E-mail" type="email" value={email} onValue={setEmail} autoComplete="off" required />
        <RolePicker legend="Roles" roles={roles} onChange={setRoles} />
        {automation ? (
          <NewPasswordField
            label="Password"
            hint="At least 12 characters: for automation, generate a long random one."
            password={password}
            onChange={setPassword}
          />
        ) : (
          <p class="hint">They are e-mailed an invitation, and choose their own password on its page.</p>
        )}
        <div class="actions">
          <button type="submit" disabled={busy || roles.length === 0}>
            {automation ? 'Add member' : 'Invite member'}
          </button>
        </div>
      </form>
    </section>
  );
}

/** A generated password, shown this once, to put in the automation's secret store. */
function PasswordShownOnce({ login, password, what }: { login: string; password: string; what: string }) {
  return (
    <>
      <p>
        {login} {what}. The password is shown <strong>only now</strong>; store it in your automation’s secret
        store:
      </p>
      <p class="secret">
        <code data-testid="generated-password">{password}</code>
      </p>
      <CopyButton text={password} label="Copy password" />
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
        label={`New password for ${member.login}`}
        hint="At least 12 characters. Their sessions and tokens end at once."
        password={password}
        onChange={setPassword}
      />
      <div class="actions">
        <button type="submit" disabled={busy}>
          Set password
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          Cancel
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
          Generate a strong password
        </button>
      </div>
    </>
  );
}
