import { eventually, linkIn, type SmtpCatcher } from '@twofold/testing';
import { addMember, type ApiResponse, type RunningStack } from './support';

/**
 * Rounds of racing changes against the grants a member holds, for the grant model test and the
 * attack suite: a member (an admin of its account) signed in over REST and Keystone, an
 * intruder holding its password, and another admin; the member's (or intruder's) own changes
 * run in a loop while the team's change (or the member's "this wasn't me") is made, and then
 * every grant anyone held is checked against the invariants of docs/grants.md.
 */

export const PASSWORDS = ['model password number one', 'model password number two'] as const;

/** The change made while the member's own actions loop. */
export type Change = 'remove' | 'demote' | 'password_reset' | 'end_sessions' | 'not_me';
/** The member's (or the intruder's) own action, repeated. */
export type Own =
  'rest_password' | 'keystone_password' | 'end_others' | 'intruder_password' | 'intruder_credential';

export interface Round {
  project: string;
  owner: { login: string; token: string };
  admin: { token: string };
  member: { id: string; login: string; email: string; password: string };
  /** Every token anyone held as the member: [first REST, REST, Keystone, the intruder's]. */
  held: { token: string; what: string }[];
  /** Application credentials made for the member. */
  credentials: { id: string; secret: string }[];
  notMeLink: string;
  /** A reset link e-mailed to the member before the round (its completion is a change). */
  resetLink: string;
}

/** mulberry32: a small seeded generator, so that a failing round can be replayed from its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const anyAddress = () => `198.18.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;

export function grantRounds(running: RunningStack, smtp: SmtpCatcher) {
  const { api } = running;
  const post = (path: string, json: unknown, token?: string, ip?: string) =>
    api(path, {
      method: 'POST',
      json,
      ...(token ? { token } : {}),
      ...(ip ? { headers: { 'x-forwarded-for': ip } } : {}),
    });
  const login = async (who: string, password: string, ip?: string): Promise<string | undefined> => {
    const res = await post('/api/v1/auth/login', { login: who, password }, undefined, ip);
    return res.status === 200 && res.body.status === 'authenticated' ? (res.body.token as string) : undefined;
  };
  const keystoneToken = async (who: string, password: string, project: string) => {
    const res = await api('/identity/v3/auth/tokens', {
      method: 'POST',
      json: {
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: who, domain: { name: 'Default' }, password } },
          },
          scope: { project: { name: project, domain: { name: 'Default' } } },
        },
      },
    });
    return res.status === 201 ? (res.headers.get('x-subject-token') ?? undefined) : undefined;
  };
  /** What a token can still do: nothing, or act with these roles. */
  const rolesOf = async (token: string): Promise<string[] | undefined> => {
    const res = await api('/identity/v3/auth/tokens', {
      headers: { 'x-auth-token': token, 'x-subject-token': token },
    });
    if (res.status !== 200) return undefined;
    return (res.body.token.roles as { name: string }[]).map((r) => r.name).sort();
  };

  let counter = 0;
  const setUp = async (): Promise<Round> => {
    counter += 1;
    const base = `round-${counter}-${Date.now()}`;
    const project = `Round ${base}`;
    const created = await post('/api/v1/accounts', {
      accountName: project,
      login: `${base}-owner`,
      email: `${base}-owner@example.com`,
      password: PASSWORDS[0],
    });
    if (created.status !== 201) throw new Error(`sign-up: ${created.status}`);
    const ownerToken = (await login(`${base}-owner`, PASSWORDS[0]))!;
    const add = async (who: string) => {
      const res = await addMember(
        running,
        ownerToken,
        { login: who, email: `${who}@example.com`, password: PASSWORDS[0], roles: ['admin'] },
        { mails: () => smtp.mails, headers: { 'x-forwarded-for': anyAddress() } },
      );
      if (res.status !== 201) throw new Error(`adding a member: ${res.status}`);
      return res.body.id as string;
    };
    await add(`${base}-admin`);
    const member = {
      id: await add(`${base}-member`),
      login: `${base}-member`,
      email: `${base}-member@example.com`,
      password: PASSWORDS[1],
    };
    // A first change of the member's own, whose e-mail carries the "this wasn't me" link.
    const first = (await login(member.login, PASSWORDS[0]))!;
    const changed = await api('/api/v1/me/password', {
      method: 'PUT',
      token: first,
      json: { currentPassword: PASSWORDS[0], newPassword: PASSWORDS[1] },
    });
    if (changed.status !== 204) throw new Error(`the member's first password change: ${changed.status}`);
    const mail = await eventually(
      () => smtp.mails.find((m) => m.to.includes(member.email) && linkIn(m, 'not-me')),
      10_000,
      'the password-changed e-mail',
    );
    const resetsBefore = smtp.mails.filter(
      (m) => m.to.includes(member.email) && linkIn(m, 'password-reset'),
    ).length;
    await post('/api/v1/auth/password-reset', { login: member.login }, undefined, anyAddress());
    const reset = await eventually(
      () => {
        const found = smtp.mails.filter((m) => m.to.includes(member.email) && linkIn(m, 'password-reset'));
        return found.length > resetsBefore ? linkIn(found[found.length - 1], 'password-reset') : undefined;
      },
      10_000,
      'the reset link',
    );
    return {
      resetLink: reset.token,
      project,
      owner: { login: `${base}-owner`, token: ownerToken },
      admin: { token: (await login(`${base}-admin`, PASSWORDS[0]))! },
      member,
      held: [
        { token: first, what: 'the first REST session' },
        { token: (await login(member.login, member.password))!, what: 'the REST session' },
        { token: (await keystoneToken(member.login, member.password, project))!, what: 'the Keystone token' },
        {
          token: (await login(member.login, member.password, '203.0.113.7'))!,
          what: "the intruder's session",
        },
      ],
      credentials: [],
      notMeLink: linkIn(mail, 'not-me')!.token,
    };
  };

  const other = (password: string) => (password === PASSWORDS[0] ? PASSWORDS[1] : PASSWORDS[0]);

  /** Repeats an own action until `over()`, or until its grant is refused. */
  const own = async (r: Round, action: Own, over: () => boolean, pause: () => Promise<void>) => {
    const [, rest, keystone, intruder] = r.held.map((h) => h.token);
    while (!over()) {
      await pause();
      const next = other(r.member.password);
      let res: ApiResponse;
      switch (action) {
        case 'rest_password':
        case 'intruder_password':
          res = await api('/api/v1/me/password', {
            method: 'PUT',
            token: action === 'rest_password' ? rest : intruder,
            json: { currentPassword: r.member.password, newPassword: next },
          });
          if (res.status === 204) r.member.password = next;
          break;
        case 'keystone_password':
          res = await api(`/identity/v3/users/${r.member.id.replace(/-/g, '')}/password`, {
            method: 'POST',
            headers: { 'x-auth-token': keystone },
            json: { user: { original_password: r.member.password, password: next } },
          });
          if (res.status === 204) r.member.password = next;
          break;
        case 'end_others':
          res = await api('/api/v1/me/sessions', { method: 'DELETE', token: rest });
          break;
        case 'intruder_credential':
          res = await post(
            '/api/v1/me/application-credentials',
            { name: `c-${Date.now()}-${Math.random()}` },
            intruder,
          );
          if (res.status === 201) {
            r.credentials.push({ id: res.body.credential.id as string, secret: res.body.secret as string });
          }
          break;
      }
      if (res.status === 401) return;
    }
  };

  /** The team's change (or the member's "this wasn't me"); whether it was made. */
  const change = async (r: Round, what: Change): Promise<boolean> => {
    const path = `/api/v1/account/members/${r.member.id}`;
    switch (what) {
      case 'remove':
        return (await api(path, { method: 'DELETE', token: r.admin.token })).status === 204;
      case 'demote':
        return (
          (await api(path, { method: 'PATCH', token: r.admin.token, json: { roles: ['billing'] } }))
            .status === 200
        );
      case 'password_reset':
        return (
          (
            await post(
              '/api/v1/auth/password-reset/confirm',
              { token: r.resetLink, newPassword: 'chosen from the e-mailed link' },
              undefined,
              anyAddress(),
            )
          ).status === 204
        );
      case 'end_sessions':
        return (await api(`${path}/sessions`, { method: 'DELETE', token: r.admin.token })).status === 204;
      case 'not_me':
        // From an address of its own: the per-address limit on links is not what is tested here.
        return (
          (await post('/api/v1/security/not-me', { token: r.notMeLink }, undefined, anyAddress())).status ===
          200
        );
    }
  };

  /** Every broken invariant of a round, in words (none: the round kept them all). */
  const violations = async (r: Round, made: Change): Promise<string[]> => {
    const found: string[] = [];
    const members = await api('/api/v1/account/members', { token: r.owner.token });
    const current = (members.body.members as { id: string; roles: string[] }[]).find(
      (m) => m.id === r.member.id,
    );
    const ending = made !== 'demote';
    for (const { token, what } of r.held) {
      const roles = await rolesOf(token);
      if (!roles) continue;
      if (!current) found.push(`${what} still validates after the member's removal`);
      else if (ending) found.push(`${what} still validates after the ${made.replace('_', ' ')}`);
      else if (roles.some((role) => !current.roles.includes(role)))
        found.push(
          `${what} carries roles ${roles.join(',')} the member no longer has (${current.roles.join(',')})`,
        );
    }
    for (const c of r.credentials) {
      const res = await api('/identity/v3/auth/tokens', {
        method: 'POST',
        json: {
          auth: {
            identity: {
              methods: ['application_credential'],
              application_credential: { id: c.id, secret: c.secret },
            },
          },
        },
      });
      if (res.status === 201 && ending)
        found.push(`a credential made during the ${made.replace('_', ' ')} still signs in`);
    }
    if (made === 'not_me') {
      for (const password of PASSWORDS) {
        if (await login(r.member.login, password)) found.push('the password signs in after “this wasn’t me”');
      }
    }
    return found;
  };

  /**
   * One round: the own actions loop while the change is made after `delay` ms; the broken
   * invariants, or undefined if the change was refused (nothing to check).
   */
  const race = async (
    what: Change,
    actions: Own[],
    delay: number,
    pause: () => Promise<void>,
  ): Promise<string[] | undefined> => {
    const r = await setUp();
    let over = false;
    const loops = actions.map((action) => own(r, action, () => over, pause));
    await new Promise((resolve) => setTimeout(resolve, delay));
    const made = await change(r, what);
    over = true;
    await Promise.all(loops);
    return made ? violations(r, what) : undefined;
  };

  return { race };
}
