import { eventually, linkIn, type SmtpCatcher, startSmtpCatcher } from '@twofold/testing';
import { type ApiResponse, type RunningStack, startStack } from './support';

/**
 * The grant lifecycle as a concurrent model: in each round a member (an admin of its account,
 * signed in over REST and Keystone), an intruder holding the member's password, the account's
 * owner and another admin run a seeded random interleaving of the changes that end grants —
 * the member's own password changes (REST and Keystone) and sign-outs, the intruder's password
 * change and credentials, the admin's removal, demotion, new password and sign-out, the
 * member's "this wasn't me" — against the real stack. After each round the invariants are
 * checked against everything any actor ever held. MODEL_SEED and MODEL_ROUNDS replay a run.
 */
jest.setTimeout(600_000);

const SEED = Number(process.env.MODEL_SEED ?? 20261207);
const ROUNDS = Number(process.env.MODEL_ROUNDS ?? 24);
const PASSWORDS = ['model password number one', 'model password number two'] as const;

/** mulberry32: a small seeded generator, so a failing round can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Change = 'remove' | 'demote' | 'set_password' | 'end_sessions' | 'not_me';
type Own = 'rest_password' | 'keystone_password' | 'end_others' | 'intruder_password' | 'intruder_credential';

describe('the grant lifecycle under concurrency (model)', () => {
  let smtp: SmtpCatcher;
  let running: RunningStack;
  let api: RunningStack['api'];

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    running = await startStack('e2e_grant_model', { env: { SMTP_URL: smtp.url, TRUSTED_PROXY_HOPS: '1' } });
    api = running.api;
  });

  afterAll(async () => {
    await running?.close();
    await smtp?.close();
  });

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

  interface Round {
    seed: number;
    project: string;
    owner: { login: string; token: string };
    admin: { token: string };
    member: { id: string; login: string; email: string; password: string };
    /** Every token anyone held as the member, and when it was got. */
    held: { token: string; what: string }[];
    /** Application credentials made for the member. */
    credentials: { id: string; secret: string }[];
    notMeLink: string;
  }

  let counter = 0;
  const setUp = async (seed: number): Promise<Round> => {
    counter += 1;
    const base = `model-${counter}-${Date.now()}`;
    const project = `Model ${base}`;
    const created = await post('/api/v1/accounts', {
      accountName: project,
      login: `${base}-owner`,
      email: `${base}-owner@example.com`,
      password: PASSWORDS[0],
    });
    expect(created.status).toBe(201);
    const ownerToken = (await login(`${base}-owner`, PASSWORDS[0]))!;
    const add = async (who: string) => {
      const res = await post(
        '/api/v1/account/members',
        { login: who, email: `${who}@example.com`, password: PASSWORDS[0], roles: ['admin'] },
        ownerToken,
      );
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    await add(`${base}-admin`);
    const memberId = await add(`${base}-member`);
    const member = {
      id: memberId,
      login: `${base}-member`,
      email: `${base}-member@example.com`,
      password: '',
    };
    // A first change of the member's own, whose e-mail carries the "this wasn't me" link.
    const first = (await login(member.login, PASSWORDS[0]))!;
    const changed = await api('/api/v1/me/password', {
      method: 'PUT',
      token: first,
      json: { currentPassword: PASSWORDS[0], newPassword: PASSWORDS[1] },
    });
    expect(changed.status).toBe(204);
    member.password = PASSWORDS[1];
    const mail = await eventually(
      () => smtp.mails.find((m) => m.to.includes(member.email) && linkIn(m, 'not-me')),
      10_000,
      'the password-changed e-mail',
    );
    const round: Round = {
      seed,
      project,
      owner: { login: `${base}-owner`, token: ownerToken },
      admin: { token: (await login(`${base}-admin`, PASSWORDS[0]))! },
      member,
      held: [{ token: first, what: 'first REST session' }],
      credentials: [],
      notMeLink: linkIn(mail, 'not-me')!.token,
    };
    round.held.push({ token: (await login(member.login, member.password))!, what: 'REST session' });
    round.held.push({
      token: (await keystoneToken(member.login, member.password, project))!,
      what: 'Keystone token',
    });
    round.held.push({
      token: (await login(member.login, member.password, '203.0.113.7'))!,
      what: "the intruder's session",
    });
    return round;
  };

  const other = (password: string) => (password === PASSWORDS[0] ? PASSWORDS[1] : PASSWORDS[0]);

  /** The member's (or intruder's) own action, repeated until the team's change is over. */
  const own = async (r: Round, action: Own, until: () => boolean, pause: () => Promise<void>) => {
    const rest = r.held[1].token;
    const keystone = r.held[2].token;
    const intruder = r.held[3].token;
    while (!until()) {
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

  /** The team's (or the member's "this wasn't me") change; answers whether it was made. */
  const change = async (r: Round, what: Change): Promise<boolean> => {
    const path = `/api/v1/account/members/${r.member.id}`;
    let res: ApiResponse;
    switch (what) {
      case 'remove':
        res = await api(path, { method: 'DELETE', token: r.admin.token });
        return res.status === 204;
      case 'demote':
        res = await api(path, { method: 'PATCH', token: r.admin.token, json: { roles: ['billing'] } });
        return res.status === 200;
      case 'set_password':
        res = await api(`${path}/password`, {
          method: 'PUT',
          token: r.admin.token,
          json: { password: 'set by the admin here' },
        });
        return res.status === 204;
      case 'end_sessions':
        res = await api(`${path}/sessions`, { method: 'DELETE', token: r.admin.token });
        return res.status === 204;
      case 'not_me':
        res = await post('/api/v1/security/not-me', { token: r.notMeLink });
        return res.status === 200;
    }
  };

  /** Every broken invariant of a round, in words. */
  const violations = async (r: Round, made: Change): Promise<string[]> => {
    const found: string[] = [];
    const members = await api('/api/v1/account/members', { token: r.owner.token });
    const current = (members.body.members as { id: string; roles: string[] }[]).find(
      (m) => m.id === r.member.id,
    );
    for (const { token, what } of r.held) {
      const roles = await rolesOf(token);
      if (!roles) continue;
      if (!current) found.push(`${what} still validates after the member's removal`);
      else if (made === 'not_me') found.push(`${what} still validates after “this wasn’t me”`);
      else if (made === 'set_password' || made === 'end_sessions')
        found.push(`${what} still validates after the admin's ${made.replace('_', ' ')}`);
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
      if (res.status === 201 && (!current || made !== 'demote'))
        found.push(`an application credential made during the ${made.replace('_', ' ')} still signs in`);
    }
    if (made === 'not_me') {
      for (const password of PASSWORDS) {
        if (await login(r.member.login, password)) found.push('the password signs in after “this wasn’t me”');
      }
    }
    return found;
  };

  it(`keeps every invariant through ${ROUNDS} seeded rounds of racing changes`, async () => {
    const next = random(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    const report: string[] = [];
    for (let i = 0; i < ROUNDS; i += 1) {
      const seed = Math.floor(next() * 2 ** 31);
      const r = await setUp(seed);
      const made: Change = pick(['remove', 'demote', 'set_password', 'end_sessions', 'not_me'] as const);
      const actions: Own[] = [pick(['rest_password', 'keystone_password', 'end_others'] as const)];
      if (next() < 0.5) actions.push(pick(['intruder_password', 'intruder_credential'] as const));
      const delay = Math.floor(next() * 40);
      let over = false;
      const pause = () => new Promise<void>((resolve) => setTimeout(resolve, Math.floor(next() * 8)));
      const loops = actions.map((action) => own(r, action, () => over, pause));
      await new Promise((resolve) => setTimeout(resolve, delay));
      const changed = await change(r, made);
      over = true;
      await Promise.all(loops);
      if (!changed) continue;
      const broken = await violations(r, made);
      if (broken.length > 0)
        report.push(`round ${i} (${made} against ${actions.join(' + ')}): ${broken.join('; ')}`);
    }
    expect(report).toEqual([]);
  });
});
