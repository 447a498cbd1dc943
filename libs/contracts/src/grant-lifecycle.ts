/** The grants × changes table (DESIGN §1): the spec the services enforce, rendered to docs/grants.md. */

export const GRANTS = {
  own_session: 'the session (or Keystone token) the change is made from',
  session: 'the member’s other sessions and Keystone tokens',
  pending_sign_in: 'a pending sign-in (REST MFA token, Keystone receipt)',
  password_credential: 'an application credential made with the password alone',
  second_factor_credential: 'an application credential made or confirmed with the second factor',
  reset_link: 'a password reset link e-mailed before',
  not_me_link: 'a “this wasn’t me” link of an e-mail before',
  resync_link: 'a resync link an admin e-mailed before',
  step_up: 'the step-up of the session the change is made from',
} as const;
export type Grant = keyof typeof GRANTS;

export const GRANT_HEADINGS: Record<Grant, string> = {
  own_session: 'own session',
  session: 'other sessions, tokens',
  pending_sign_in: 'pending sign-in',
  password_credential: 'credential (password)',
  second_factor_credential: 'credential (2nd factor)',
  reset_link: 'reset link',
  not_me_link: 'not-me link',
  resync_link: 'resync link',
  step_up: 'step-up',
};

export const CHANGES = {
  member_removed: 'member removed (by an owner or admin)',
  roles_changed: 'roles changed (by an owner or admin)',
  password_changed: 'own password change (REST or Keystone)',
  password_set: 'password of an ops-only member set by an owner or admin',
  password_reset: 'password reset by e-mailed link',
  two_factor_on: '2FA turned on (an app confirmed, or a first passkey added)',
  two_factor_off: '2FA turned off (by the member)',
  two_factor_reset: '2FA reset (by an admin or the operator)',
  authenticator_replaced: 'authenticator replaced',
  passkey_added: 'passkey added (2FA on already)',
  passkey_removed: 'passkey removed (another second factor left)',
  signed_out_self: 'sign out everywhere else (the member)',
  signed_out_by_admin: 'signed out everywhere (by an owner or admin)',
  not_me: '“this wasn’t me”',
  ownership_transferred: 'ownership transferred (from the owner, to the member)',
  policy_changed: '2FA policy changed (grace period ended)',
  email_changed: 'e-mail address changed (once the new one is confirmed)',
} as const;
export type Change = keyof typeof CHANGES;

/**
 * `kept`: the grant the change was made from takes the new stamp; `suspended`: until confirmed with
 * a fresh second factor; `moot`: still live, but answered 409; `none`: cannot exist at that point.
 */
export type Outcome = 'ends' | 'kept' | 'suspended' | 'follows' | 'moot' | 'none';

export const OUTCOME_WORDS: Record<Outcome, string> = {
  ends: 'ends',
  kept: 'kept',
  suspended: 'suspended until confirmed',
  follows: 'follows the policy now',
  moot: 'moot (nothing to act on)',
  none: '—',
};

type Row = Record<Grant, Outcome>;
const others = (own: Outcome, rest: Omit<Row, 'own_session' | 'step_up'>, stepUp: Outcome = own): Row => ({
  own_session: own,
  ...rest,
  step_up: stepUp,
});

export const GRANT_TABLE: Record<Change, Row> = {
  member_removed: others('none', {
    session: 'ends',
    pending_sign_in: 'ends',
    password_credential: 'ends',
    second_factor_credential: 'ends',
    reset_link: 'ends',
    not_me_link: 'ends',
    resync_link: 'ends',
  }),
  // A credential keeps going with the roles the member still holds (none left: it ends).
  roles_changed: others('none', {
    session: 'ends',
    pending_sign_in: 'ends',
    password_credential: 'kept',
    second_factor_credential: 'kept',
    reset_link: 'kept',
    not_me_link: 'kept',
    resync_link: 'kept',
  }),
  password_changed: others('kept', {
    session: 'ends',
    pending_sign_in: 'ends',
    password_credential: 'ends',
    second_factor_credential: 'kept',
    reset_link: 'ends',
    not_me_link: 'kept',
    resync_link: 'kept',
  }),
  password_set: others('none', {
    session: 'ends',
    pending_sign_in: 'ends',
    password_credential: 'ends',
    second_factor_credential: 'ends',
    reset_link: 'ends',
    not_me_link: 'kept',
    resync_link: 'kept',
  }),
  password_reset: others('none', {
    session: 'ends',
    pending_sign_in: 'ends',
    password_credential: 'ends',
    second_factor_credential: 'ends',
    reset_link: 'ends',
    not_me_link: 'ends',
    resync_link: 'kept',
  }),
  // The factor just proven makes the session aal 2 with a fresh step-up.
  two_factor_on: others('kept', {
    session: 'ends',
    pending_sign_in: 'none',
    password_credential: 'suspended',
    second_factor_credential: 'none',
    reset_link: 'kept',
    not_me_link: 'kept',
    resync_link: 'none',
  }),
  two_factor_off: others('kept', {
    session: 'ends',
    pending_sign_in: 'ends',
    password_credential: 'kept',
    second_factor_credential: 'kept',
    reset_link: 'kept',
    not_me_link: 'kept',
    resync_link: 'moot',
  }),
  two_factor_reset: others('none', {
    session: 'ends',
    pending_sign_in: 'ends',
    password_credential: 'ends',
    second_factor_credential: 'ends',
    reset_link: 'kept',
    not_me_link: 'kept',
    resync_link: 'moot',
  }),
  authenticator_replaced: others('kept', {
    session: 'ends',
    pending_sign_in: 'ends',
    password_credential: 'kept',
    second_factor_credential: 'kept',
    reset_link: 'kept',
    not_me_link: 'kept',
    resync_link: 'kept',
  }),
  // Nothing the member holds loses its meaning.
  passkey_added: others('kept', {
    session: 'kept',
    pending_sign_in: 'kept',
    password_credential: 'kept',
    second_factor_credential: 'kept',
    reset_link: 'kept',
    not_me_link: 'kept',
    resync_link: 'kept',
  }),
  // What it signed in may have been someone else: sessions and sign-ins in flight end, as with a new app.
  passkey_removed: others('kept', {
    session: 'ends',
    pending_sign_in: 'ends',
    password_credential: 'kept',
    second_factor_credential: 'kept',
    reset_link: 'kept',
    not_me_link: 'kept',
    resync_link: 'kept',
  }),
  signed_out_self: others('kept', {
    session: 'ends',
    pending_sign_in: 'ends',
    password_credential: 'ends',
    second_factor_credential: 'kept',
    reset_link: 'kept',
    not_me_link: 'kept',
    resync_link: 'kept',
  }),
  signed_out_by_admin: others('none', {
    session: 'ends',
    pending_sign_in: 'ends',
    password_credential: 'ends',
    second_factor_credential: 'ends',
    reset_link: 'kept',
    not_me_link: 'kept',
    resync_link: 'kept',
  }),
  not_me: others('none', {
    session: 'ends',
    pending_sign_in: 'ends',
    password_credential: 'ends',
    second_factor_credential: 'ends',
    reset_link: 'ends',
    not_me_link: 'ends',
    resync_link: 'ends',
  }),
  // Made from the owner's session: both members' grants end; credentials keep only roles still held.
  ownership_transferred: others('ends', {
    session: 'ends',
    pending_sign_in: 'ends',
    password_credential: 'ends',
    second_factor_credential: 'ends',
    reset_link: 'kept',
    not_me_link: 'kept',
    resync_link: 'kept',
  }),
  policy_changed: others('none', {
    session: 'follows',
    pending_sign_in: 'kept',
    password_credential: 'kept',
    second_factor_credential: 'kept',
    reset_link: 'kept',
    not_me_link: 'kept',
    resync_link: 'kept',
  }),
  // Password-setting links to the old address go; its "this wasn't me" stays, to take the change back.
  email_changed: others('kept', {
    session: 'kept',
    pending_sign_in: 'kept',
    password_credential: 'kept',
    second_factor_credential: 'kept',
    reset_link: 'ends',
    not_me_link: 'kept',
    resync_link: 'kept',
  }),
};

export function renderGrantTable(): string {
  const grants = Object.keys(GRANTS) as Grant[];
  const header = `| change | ${grants.map((g) => GRANT_HEADINGS[g]).join(' | ')} |`;
  const rule = `| --- | ${grants.map(() => '---').join(' | ')} |`;
  const rows = (Object.keys(CHANGES) as Change[]).map(
    (change) =>
      `| ${CHANGES[change]} | ${grants.map((g) => OUTCOME_WORDS[GRANT_TABLE[change][g]]).join(' | ')} |`,
  );
  const legend = grants.map((g) => `- **${GRANT_HEADINGS[g]}**: ${GRANTS[g]}`);
  return [header, rule, ...rows, '', ...legend].join('\n');
}
