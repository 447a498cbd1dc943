import {
  type Change,
  CHANGES,
  type Grant,
  GRANT_TABLE,
  type Outcome,
  OUTCOME_WORDS,
} from '@twofold/contracts';
import {
  AuthenticatorApp,
  eventually,
  linkIn,
  type SmtpCatcher,
  SoftwareAuthenticator,
  startSmtpCatcher,
} from '@twofold/testing';
import { addMember, confirmAddress, type RunningStack, startStack } from './support';

jest.setTimeout(120_000);

const PASSWORD = 'grant table password one';
const OTHER_PASSWORD = 'grant table password two';

/**
 * Every cell of the table of grants × changes (libs/contracts/src/grant-lifecycle.ts, rendered in
 * docs/grants.md), tested against the running stack: for each change, a member holding every
 * grant it can hold, the change, then each grant probed as its holder would use it.
 *
 * A member with 2FA (`with2fa`) holds them all: its password-made credential dates from before
 * it turned 2FA on, so it starts suspended ("kept" leaves it so). Turning 2FA on, and what the
 * policy does to a member without 2FA, are seen on a member without it (`plain`).
 */
type Profile = 'with2fa' | 'ops2fa' | 'plain';

/** The grants each profile can hold, in the order they are probed (the ones a probe spends, last). */
const PROBED: Record<Profile, Grant[]> = {
  with2fa: [
    'own_session',
    'session',
    'password_credential',
    'second_factor_credential',
    'resync_link',
    'step_up',
    'pending_sign_in',
    'reset_link',
    'not_me_link',
  ],
  plain: ['own_session', 'session', 'password_credential', 'step_up', 'reset_link', 'not_me_link'],
  ops2fa: [],
};
PROBED.ops2fa = PROBED.with2fa;

/** Where each change is seen, and which of the profile's grants (default: all it can hold). */
const SCENARIOS: Record<Change, { profile: Profile; grants?: Grant[] }[]> = {
  member_removed: [{ profile: 'with2fa' }],
  roles_changed: [{ profile: 'with2fa' }],
  password_changed: [{ profile: 'with2fa' }],
  // Only an ops-only (automation) member's password is ever set by someone else.
  password_set: [{ profile: 'ops2fa' }],
  password_reset: [{ profile: 'with2fa' }],
  two_factor_on: [{ profile: 'plain' }],
  // Without 2FA left, probing the reset link completes a reset, which spends the not-me links: apart.
  two_factor_off: [
    { profile: 'with2fa', grants: PROBED.with2fa.filter((g) => g !== 'reset_link') },
    { profile: 'with2fa', grants: ['reset_link'] },
  ],
  two_factor_reset: [
    { profile: 'with2fa', grants: PROBED.with2fa.filter((g) => g !== 'reset_link') },
    { profile: 'with2fa', grants: ['reset_link'] },
  ],
  authenticator_replaced: [{ profile: 'with2fa' }],
  passkey_added: [{ profile: 'with2fa' }],
  passkey_removed: [{ profile: 'with2fa' }],
  signed_out_self: [{ profile: 'with2fa' }],
  signed_out_by_admin: [{ profile: 'with2fa' }],
  not_me: [{ profile: 'with2fa' }],
  ownership_transferred: [{ profile: 'with2fa' }],
  policy_changed: [{ profile: 'with2fa' }, { profile: 'plain', grants: ['session'] }],
  email_changed: [{ profile: 'with2fa' }],
};

/** What a probe finds a grant able to do: works, ended, suspended, restricted, moot, or what else it met. */
type Found = string;

const expectedOf = (change: Change, outcome: Outcome, profile: Profile, grant: Grant): Found => {
  switch (outcome) {
    case 'ends':
      return 'ended';
    case 'kept':
      // A credential the password made was suspended when 2FA was turned on, and stays so while it is on.
      return profile !== 'plain' && grant === 'password_credential' && change !== 'two_factor_off'
        ? 'suspended'
        : 'works';
    case 'suspended':
      return 'suspended';
    case 'follows':
      return profile === 'plain' ? 'restricted' : 'works';
    case 'moot':
      return 'moot';
    case 'none':
      throw new Error('a grant that cannot exist is not probed');
  }
};

describe('the table of grants × changes, cell by cell', () => {
  let smtp: SmtpCatcher;
  let running: RunningStack;
  let api: RunningStack['api'];
  let n = 0;

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    running = await startStack('e2e_grant_table', { env: { SMTP_URL: smtp.url, TRUSTED_PROXY_HOPS: '1' } });
    api = running.api;
  });

  afterAll(async () => {
    await running?.close();
    await smtp?.close();
  });

  const anyIp = () => `198.18.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
  const call = (
    method: string,
    path: string,
    init: { json?: unknown; token?: string; headers?: Record<string, string> } = {},
  ) =>
    api(path, {
      method,
      ...(init.json !== undefined ? { json: init.json } : {}),
      ...(init.token ? { token: init.token } : {}),
      headers: { 'x-forwarded-for': anyIp(), ...init.headers },
    });
  /** The sign-in's answer: a session's token, or an MFA token to complete (tests know which). */
  const login = async (who: string, password = PASSWORD) =>
    (await call('POST', '/api/v1/auth/login', { json: { login: who, password } })).body as {
      token: string;
      mfaToken: string;
    };

  /** The newest e-mail to `email` with a link to `route`, after `after` of them. */
  const linkTo = async (email: string, route: 'password-reset' | 'not-me' | 'resync', after: number) =>
    (
      await eventually(
        () => {
          const found = smtp.mails.filter((m) => m.to.includes(email) && linkIn(m, route));
          return found.length > after ? linkIn(found[found.length - 1], route) : undefined;
        },
        20_000,
        `an e-mail to ${email} with a ${route} link`,
      )
    ).token;
  const linksSent = (email: string, route: 'password-reset' | 'not-me' | 'resync') =>
    smtp.mails.filter((m) => m.to.includes(email) && linkIn(m, route)).length;

  interface World {
    profile: Profile;
    project: string;
    owner: { id: string; login: string; token: string };
    member: { id: string; login: string; email: string };
    app?: AuthenticatorApp;
    recoveryCodes: string[];
    /** The member's session its own changes are made from (fresh, with its strongest factor). */
    own: string;
    other: string;
    keystone: string;
    pending?: string;
    passwordCredential: { id: string; secret: string };
    secondFactorCredential?: { id: string; secret: string };
    resetLink: string;
    notMeLink: string;
    /** A second not-me link, for the not-me change itself. */
    reportLink: string;
    resyncLink?: string;
  }

  const credential = async (token: string) => {
    n += 1;
    const res = await call('POST', '/api/v1/me/application-credentials', {
      token,
      json: { name: `ci-${n}` },
    });
    expect(res.status).toBe(201);
    return { id: res.body.credential.id as string, secret: res.body.secret as string };
  };
  const signInWithCode = async (who: string, code: string) => {
    const pending = await login(who);
    return (await call('POST', '/api/v1/auth/mfa', { json: { mfaToken: pending.mfaToken, code } })).body
      .token as string;
  };

  const setUp = async (profile: Profile): Promise<World> => {
    n += 1;
    const base = `table-${n}-${Date.now()}`;
    const project = `Table ${base}`;
    const signUp = await call('POST', '/api/v1/accounts', {
      json: { accountName: project, login: `${base}-o`, email: `${base}-o@example.com`, password: PASSWORD },
    });
    expect(signUp.status).toBe(201);
    const owner = {
      id: signUp.body.user.id as string,
      login: `${base}-o`,
      token: (await login(`${base}-o`)).token,
    };
    const member = { id: '', login: `${base}-m`, email: `${base}-m@example.com` };
    // Invited: the member chooses its password from the e-mailed link, which proves its address;
    // an ops-only member is added with its password, and confirms its address.
    const roles = profile === 'ops2fa' ? ['ops'] : ['admin', 'billing'];
    const added = await addMember(
      running,
      owner.token,
      { login: member.login, email: member.email, password: PASSWORD, roles },
      { mails: () => smtp.mails, headers: { 'x-forwarded-for': anyIp() } },
    );
    expect(added.status).toBe(201);
    member.id = added.body.id as string;
    if (profile === 'ops2fa') await confirmAddress(running, smtp, member.email);
    const first = (await login(member.login)).token;
    const passwordCredential = await credential(first);
    let world: World;
    if (profile === 'plain') {
      const notMeBefore = linksSent(member.email, 'not-me');
      await credential(first); // a second "credential created" e-mail: two not-me links
      const reportLink = await linkTo(member.email, 'not-me', notMeBefore);
      world = {
        profile,
        project,
        owner,
        member,
        recoveryCodes: [],
        own: first,
        other: (await login(member.login)).token,
        keystone: '',
        passwordCredential,
        resetLink: '',
        notMeLink: reportLink,
        reportLink,
      };
    } else {
      const enrollment = await call('POST', '/api/v1/me/two-factor/enrollment', {
        token: first,
        json: { password: PASSWORD },
      });
      const app = new AuthenticatorApp(enrollment.body.secret as string);
      const recoveryCodes = [...(enrollment.body.recoveryCodes as string[])];
      const notMeBefore = linksSent(member.email, 'not-me');
      expect(
        (
          await call('POST', '/api/v1/me/two-factor/enrollment/confirm', {
            token: first,
            json: { code: await app.nextCode() },
          })
        ).status,
      ).toBe(200);
      const notMeLink = await linkTo(member.email, 'not-me', notMeBefore);
      const own = await signInWithCode(member.login, recoveryCodes.shift()!);
      const other = await signInWithCode(member.login, recoveryCodes.shift()!);
      const secondFactorCredential = await credential(own);
      const reportLink = await linkTo(member.email, 'not-me', notMeBefore + 1);
      world = {
        profile,
        project,
        owner,
        member,
        app,
        recoveryCodes,
        own,
        other,
        keystone: '',
        pending: (await login(member.login)).mfaToken,
        passwordCredential,
        secondFactorCredential,
        resetLink: '',
        notMeLink,
        reportLink,
      };
      const resyncBefore = linksSent(member.email, 'resync');
      expect(
        (
          await call('POST', `/api/v1/account/members/${member.id}/two-factor/resync-link`, {
            token: owner.token,
          })
        ).status,
      ).toBe(202);
      world.resyncLink = await linkTo(member.email, 'resync', resyncBefore);
    }
    const keystone = await call('POST', '/identity/v3/auth/tokens', {
      json: {
        auth: {
          identity: {
            methods: profile === 'plain' ? ['password'] : ['password', 'totp'],
            password: { user: { name: member.login, domain: { name: 'Default' }, password: PASSWORD } },
            ...(profile === 'plain'
              ? {}
              : {
                  totp: {
                    user: {
                      name: member.login,
                      domain: { name: 'Default' },
                      passcode: world.recoveryCodes.shift()!,
                    },
                  },
                }),
          },
          scope: { project: { name: project, domain: { name: 'Default' } } },
        },
      },
    });
    expect(keystone.status).toBe(201);
    world.keystone = keystone.headers.get('x-subject-token')!;
    const resetBefore = linksSent(member.email, 'password-reset');
    expect(
      (await call('POST', '/api/v1/auth/password-reset', { json: { login: member.login } })).status,
    ).toBe(202);
    world.resetLink = await linkTo(member.email, 'password-reset', resetBefore);
    return world;
  };

  /** Makes the change; the token the change was made from, if it was made from the member's own grant. */
  const apply = async (change: Change, w: World): Promise<void> => {
    const team = `/api/v1/account/members/${w.member.id}`;
    // The status, with the body to tell why when it is not the one expected.
    const made = (res: { status: number; body: unknown }, status: number) =>
      expect(`${res.status} ${JSON.stringify(res.body ?? null)}`).toMatch(new RegExp(`^${status} `));
    switch (change) {
      case 'member_removed':
        return made(await call('DELETE', team, { token: w.owner.token }), 204);
      case 'roles_changed':
        return made(await call('PATCH', team, { token: w.owner.token, json: { roles: ['billing'] } }), 200);
      case 'password_changed':
        return made(
          await call('PUT', '/api/v1/me/password', {
            token: w.own,
            json: { currentPassword: PASSWORD, newPassword: OTHER_PASSWORD },
          }),
          204,
        );
      case 'password_set':
        return made(
          await call('PUT', `${team}/password`, { token: w.owner.token, json: { password: OTHER_PASSWORD } }),
          204,
        );
      case 'password_reset': {
        const before = linksSent(w.member.email, 'password-reset');
        await call('POST', '/api/v1/auth/password-reset', { json: { login: w.member.login } });
        const token = await linkTo(w.member.email, 'password-reset', before);
        return made(
          await call('POST', '/api/v1/auth/password-reset/confirm', {
            json: { token, newPassword: OTHER_PASSWORD, code: await w.app!.nextCode() },
          }),
          204,
        );
      }
      case 'two_factor_on': {
        const enrollment = await call('POST', '/api/v1/me/two-factor/enrollment', {
          token: w.own,
          json: { password: PASSWORD },
        });
        w.app = new AuthenticatorApp(enrollment.body.secret as string);
        return made(
          await call('POST', '/api/v1/me/two-factor/enrollment/confirm', {
            token: w.own,
            json: { code: await w.app.nextCode() },
          }),
          200,
        );
      }
      case 'two_factor_off':
        return made(await call('DELETE', '/api/v1/me/two-factor', { token: w.own }), 204);
      case 'two_factor_reset':
        return made(await call('DELETE', `${team}/two-factor`, { token: w.owner.token }), 204);
      case 'authenticator_replaced': {
        const enrollment = await call('POST', '/api/v1/me/two-factor/enrollment', {
          token: w.own,
          json: { password: PASSWORD },
        });
        const phone = new AuthenticatorApp(enrollment.body.secret as string);
        return made(
          await call('POST', '/api/v1/me/two-factor/enrollment/confirm', {
            token: w.own,
            json: { code: await phone.nextCode() },
          }),
          200,
        );
      }
      case 'passkey_added':
      case 'passkey_removed': {
        const origin = `http://localhost:${new URL(running.stack.gatewayUrl).port}`;
        const options = await call('POST', '/api/v1/me/passkeys/registration-options', {
          token: w.own,
          json: {},
        });
        const added = await call('POST', '/api/v1/me/passkeys', {
          token: w.own,
          json: { name: 'Key', response: new SoftwareAuthenticator().create(options.body.options, origin) },
        });
        made(added, 201);
        if (change === 'passkey_added') return;
        return made(
          await call('DELETE', `/api/v1/me/passkeys/${added.body.passkey.id}`, { token: w.own }),
          204,
        );
      }
      case 'signed_out_self':
        return made(await call('DELETE', '/api/v1/me/sessions', { token: w.own }), 204);
      case 'signed_out_by_admin':
        return made(await call('DELETE', `${team}/sessions`, { token: w.owner.token }), 204);
      case 'not_me':
        return made(await call('POST', '/api/v1/security/not-me', { json: { token: w.reportLink } }), 200);
      case 'ownership_transferred':
        // Made from the owner's session: for this change, the owner's is the "own session".
        w.own = w.owner.token;
        return made(
          await call('POST', '/api/v1/account/ownership', {
            token: w.owner.token,
            json: { memberId: w.member.id },
          }),
          204,
        );
      case 'email_changed': {
        const address = `new-${w.member.email}`;
        made(
          await call('PUT', '/api/v1/me/email', {
            token: w.own,
            json: { password: PASSWORD, email: address },
          }),
          202,
        );
        const link = await eventually(
          () => {
            const mail = smtp.mails.find((m) => m.to.includes(address) && linkIn(m, 'verify-email'));
            return mail ? linkIn(mail, 'verify-email') : undefined;
          },
          20_000,
          'the link to the new address',
        );
        return made(
          await call('POST', '/api/v1/security/verify-email', { json: { token: link.token } }),
          200,
        );
      }
      case 'policy_changed': {
        made(
          await call('PUT', '/api/v1/account/policy', {
            token: w.owner.token,
            json: { requireTwoFactor: true, gracePeriodDays: 30 },
          }),
          200,
        );
        // The owner has no 2FA either: the step-up comes before the grace period ends for it too.
        return made(
          await call('PUT', '/api/v1/account/policy', { token: w.owner.token, json: { gracePeriodDays: 0 } }),
          200,
        );
      }
    }
  };

  const sessionState = async (token: string): Promise<Found> => {
    const res = await call('GET', '/api/v1/me', { token });
    if (res.status === 401) return 'ended';
    return res.body.session.restricted === true
      ? 'restricted'
      : res.status === 200
        ? 'works'
        : `${res.status}`;
  };
  const credentialState = async (c: { id: string; secret: string }): Promise<Found> => {
    const res = await call('POST', '/identity/v3/auth/tokens', {
      json: { auth: { identity: { methods: ['application_credential'], application_credential: c } } },
    });
    if (res.status === 201) return 'works';
    return res.status === 401 && /confirm/.test(res.body.error.message as string) ? 'suspended' : 'ended';
  };

  const probe = async (grant: Grant, w: World): Promise<Found> => {
    switch (grant) {
      case 'own_session':
        return sessionState(w.own);
      case 'session': {
        const rest = await sessionState(w.other);
        if (!w.keystone) return rest;
        const keystone = await call('GET', '/identity/v3/auth/tokens', {
          headers: { 'x-auth-token': w.keystone, 'x-subject-token': w.keystone },
        });
        // A restricted session is no Keystone token.
        const alive = keystone.status === 200;
        if (rest === 'works') return alive ? 'works' : 'the REST session works, the Keystone token does not';
        return alive ? `the Keystone token works, the REST session is ${rest}` : rest;
      }
      case 'pending_sign_in': {
        const res = await call('POST', '/api/v1/auth/mfa', {
          json: { mfaToken: w.pending, code: w.recoveryCodes.shift() },
        });
        return res.status === 200
          ? 'works'
          : res.status === 401
            ? 'ended'
            : `${res.status} ${res.body.error.code}`;
      }
      case 'password_credential':
        return credentialState(w.passwordCredential);
      case 'second_factor_credential':
        return credentialState(w.secondFactorCredential!);
      case 'reset_link': {
        // Without a code: a member with 2FA is asked for one (the link lives), and nothing changes.
        const res = await call('POST', '/api/v1/auth/password-reset/confirm', {
          json: { token: w.resetLink, newPassword: 'chosen by the probe itself' },
        });
        if (res.status === 400 && res.body.error.code === 'link_invalid') return 'ended';
        return res.status === 204 || res.body.error.code === 'second_factor_required'
          ? 'works'
          : `${res.status} ${res.body.error.code}`;
      }
      case 'not_me_link': {
        const res = await call('POST', '/api/v1/security/not-me', { json: { token: w.notMeLink } });
        return res.status === 200
          ? 'works'
          : res.body.error.code === 'link_invalid'
            ? 'ended'
            : `${res.status}`;
      }
      case 'resync_link': {
        const res = await call('POST', '/api/v1/security/two-factor-resync', {
          json: { token: w.resyncLink, code1: '000000', code2: '000001' },
        });
        if (res.status === 409 && res.body.error.code === 'two_factor_not_enabled') return 'moot';
        if (res.status === 400 && res.body.error.code === 'link_invalid') return 'ended';
        return res.status === 401 && res.body.error.code === 'invalid_code'
          ? 'works'
          : `${res.status} ${res.body.error.code}`;
      }
      case 'step_up': {
        // A sensitive change the session may make without stepping up again: its wrong password is refused only after.
        const res = await call('PUT', '/api/v1/me/password', {
          token: w.own,
          json: { currentPassword: 'not the password at all', newPassword: 'whatever it would be' },
        });
        if (res.body.error.code === 'invalid_credentials') return 'works';
        return res.body.error.code === 'step_up_required' || res.body.error.code === 'unauthenticated'
          ? 'ended'
          : `${res.status} ${res.body.error.code}`;
      }
    }
  };

  for (const change of Object.keys(CHANGES) as Change[]) {
    for (const scenario of SCENARIOS[change]) {
      const grants = (scenario.grants ?? PROBED[scenario.profile]).filter(
        (g) => GRANT_TABLE[change][g] !== 'none',
      );
      describe(`${CHANGES[change]} (a${scenario.profile === 'ops2fa' ? 'n ops-only' : ''} member ${scenario.profile === 'plain' ? 'without' : 'with'} 2FA)`, () => {
        let world: World;
        beforeAll(async () => {
          world = await setUp(scenario.profile);
          await apply(change, world);
        });
        for (const grant of grants) {
          const outcome = GRANT_TABLE[change][grant];
          it(`${grant}: ${OUTCOME_WORDS[outcome]}`, async () => {
            expect(await probe(grant, world)).toBe(expectedOf(change, outcome, scenario.profile, grant));
          });
        }
      });
    }
  }
});
