import { AuthenticatorApp, eventually } from '@twofold/testing';
import { addMember, type ApiResponse, type RunningStack, startStack } from './support';

jest.setTimeout(120_000);

const PASSWORD = 'correct horse battery staple';

describe('team members, roles and what they may do', () => {
  let running: RunningStack;
  let api: RunningStack['api'];
  let n = 0;

  beforeAll(async () => {
    running = await startStack('e2e_team', { gatewayInstances: 2 });
    api = running.api;
  });

  afterAll(async () => {
    await running?.close();
  });

  const login = async (loginName: string, password = PASSWORD): Promise<string> =>
    (await api('/api/v1/auth/login', { method: 'POST', json: { login: loginName, password } })).body
      .token as string;

  /** An account with an owner, an admin, a billing and an ops member, each signed in. */
  const team = async () => {
    n += 1;
    const base = `team-${n}-${Date.now()}`;
    await api('/api/v1/accounts', {
      method: 'POST',
      json: { accountName: `Team ${base}`, login: base, email: `${base}@example.com`, password: PASSWORD },
    });
    const owner = await login(base);
    const add = async (role: 'admin' | 'billing' | 'ops') => {
      const res = await addMember(running, owner, {
        login: `${base}-${role}`,
        email: `${base}-${role}@example.com`,
        password: PASSWORD,
        roles: [role],
      });
      expect(res.status).toBe(201);
      return { id: res.body.id as string, login: `${base}-${role}`, token: await login(`${base}-${role}`) };
    };
    return { base, owner, admin: await add('admin'), billing: await add('billing'), ops: await add('ops') };
  };

  it('lets owners and admins manage members, and refuses billing and ops (the matrix over HTTP)', async () => {
    const t = await team();
    const cases: [string, string, number][] = [
      ['owner', t.owner, 200],
      ['admin', t.admin.token, 200],
      ['billing', t.billing.token, 403],
      ['ops', t.ops.token, 403],
    ];

    for (const [, token, status] of cases) {
      const res = await api('/api/v1/account/members', { token });
      expect(res.status).toBe(status);
    }
    const list = await api('/api/v1/account/members', { token: t.owner });
    expect(list.body.members.map((m: { roles: string[] }) => m.roles[0])).toEqual([
      'owner',
      'admin',
      'billing',
      'ops',
    ]);
    const denied = await api('/api/v1/account/members', { token: t.ops.token });
    expect(denied.body.error.code).toBe('forbidden');
  });

  it('changes roles, and the member’s sessions end at once', async () => {
    const t = await team();

    const res = await api(`/api/v1/account/members/${t.ops.id}`, {
      method: 'PATCH',
      token: t.admin.token,
      json: { roles: ['billing'] },
    });

    expect(res.status).toBe(200);
    expect(res.body.roles).toEqual(['billing']);
    expect((await api('/api/v1/me', { token: t.ops.token })).status).toBe(401);
  });

  it('never changes the owner’s roles nor removes the owner', async () => {
    const t = await team();
    const ownerId: string = (await api('/api/v1/me', { token: t.owner })).body.user.id;

    const demote = await api(`/api/v1/account/members/${ownerId}`, {
      method: 'PATCH',
      token: t.admin.token,
      json: { roles: ['ops'] },
    });
    const remove = await api(`/api/v1/account/members/${ownerId}`, {
      method: 'DELETE',
      token: t.admin.token,
    });
    const grantOwner = await api(`/api/v1/account/members/${t.ops.id}`, {
      method: 'PATCH',
      token: t.owner,
      json: { roles: ['owner'] },
    });

    expect(demote.status).toBe(403);
    expect(remove.status).toBe(403);
    expect(grantOwner.status).toBe(400);
  });

  it('removes a member, who can then neither use a session nor sign in', async () => {
    const t = await team();

    expect(
      (await api(`/api/v1/account/members/${t.billing.id}`, { method: 'DELETE', token: t.owner })).status,
    ).toBe(204);

    expect((await api('/api/v1/me', { token: t.billing.token })).status).toBe(401);
    expect(
      (
        await api('/api/v1/auth/login', {
          method: 'POST',
          json: { login: t.billing.login, password: PASSWORD },
        })
      ).status,
    ).toBe(401);
  });

  it('sets a new password for a member: the old one stops working and so do the member’s sessions', async () => {
    const t = await team();
    const newPassword = 'a brand new long password';

    const res = await api(`/api/v1/account/members/${t.ops.id}/password`, {
      method: 'PUT',
      token: t.admin.token,
      json: { password: newPassword },
    });

    expect(res.status).toBe(204);
    expect((await api('/api/v1/me', { token: t.ops.token })).status).toBe(401);
    expect(
      (await api('/api/v1/auth/login', { method: 'POST', json: { login: t.ops.login, password: PASSWORD } }))
        .status,
    ).toBe(401);
    expect(
      (
        await api('/api/v1/auth/login', {
          method: 'POST',
          json: { login: t.ops.login, password: newPassword },
        })
      ).status,
    ).toBe(200);
  });

  it('resets the 2FA of a member who lost device and codes; they sign in with the password again', async () => {
    const t = await team();
    const enrollment = await api('/api/v1/me/two-factor/enrollment', {
      method: 'POST',
      token: t.billing.token,
      json: { password: PASSWORD },
    });
    const app = new AuthenticatorApp(enrollment.body.secret);
    await api('/api/v1/me/two-factor/enrollment/confirm', {
      method: 'POST',
      token: t.billing.token,
      json: { code: await app.nextCode() },
    });
    expect(
      (
        await api('/api/v1/auth/login', {
          method: 'POST',
          json: { login: t.billing.login, password: PASSWORD },
        })
      ).body.status,
    ).toBe('mfa_required');

    const reset = await api(`/api/v1/account/members/${t.billing.id}/two-factor`, {
      method: 'DELETE',
      token: t.admin.token,
    });

    expect(reset.status).toBe(204);
    expect((await api('/api/v1/me', { token: t.billing.token })).status).toBe(401);
    expect(
      (
        await api('/api/v1/auth/login', {
          method: 'POST',
          json: { login: t.billing.login, password: PASSWORD },
        })
      ).body.status,
    ).toBe('authenticated');
  });

  it('never lets one account act on another account’s member', async () => {
    const a = await team();
    const b = await team();

    const answers: ApiResponse[] = [
      await api(`/api/v1/account/members/${b.ops.id}`, {
        method: 'PATCH',
        token: a.owner,
        json: { roles: ['admin'] },
      }),
      await api(`/api/v1/account/members/${b.ops.id}`, { method: 'DELETE', token: a.owner }),
      await api(`/api/v1/account/members/${b.ops.id}/password`, {
        method: 'PUT',
        token: a.owner,
        json: { password: 'x'.repeat(20) },
      }),
      await api(`/api/v1/account/members/${b.ops.id}/two-factor`, { method: 'DELETE', token: a.owner }),
    ];

    for (const res of answers) expect(res.status).toBe(404);
    expect((await api('/api/v1/me', { token: b.ops.token })).status).toBe(200);
  });

  it('changes the member’s own password with the current one, ending their other sessions only', async () => {
    const t = await team();
    const other = await login(t.ops.login);

    const wrong = await api('/api/v1/me/password', {
      method: 'PUT',
      token: t.ops.token,
      json: { currentPassword: 'nope', newPassword: 'my new long password' },
    });
    const changed = await api('/api/v1/me/password', {
      method: 'PUT',
      token: t.ops.token,
      json: { currentPassword: PASSWORD, newPassword: 'my new long password' },
    });

    expect(wrong.status).toBe(401);
    expect(changed.status).toBe(204);
    expect((await api('/api/v1/me', { token: t.ops.token })).status).toBe(200);
    expect((await api('/api/v1/me', { token: other })).status).toBe(401);
    expect(
      (
        await api('/api/v1/auth/login', {
          method: 'POST',
          json: { login: t.ops.login, password: 'my new long password' },
        })
      ).status,
    ).toBe(200);
  });

  it('keeps an audit log that owners and admins read newest first, a page at a time', async () => {
    const t = await team();
    await api(`/api/v1/account/members/${t.ops.id}`, {
      method: 'PATCH',
      token: t.owner,
      json: { roles: ['billing'] },
    });

    const all = await eventually(async () => {
      const res = await api('/api/v1/account/audit-events', { token: t.admin.token });
      return res.body.events?.length >= 7 ? res : undefined;
    });
    // The admin and the billing member were invited and joined; the ops member was added.
    expect(all.body.events.map((e: { type: string }) => e.type)).toEqual([
      'member.roles_changed',
      'member.added',
      'member.joined',
      'member.invited',
      'member.joined',
      'member.invited',
      'account.created',
    ]);
    expect(all.body.events[0]).toEqual({
      id: expect.any(String),
      type: 'member.roles_changed',
      actorId: expect.any(String),
      subjectId: t.ops.id,
      occurredAt: expect.any(String),
      ip: expect.any(String),
      userAgent: expect.any(String),
      details: { from: 'ops', to: 'billing' },
    });
    // Each entry records the address and agent of the request that made it (sign-up, invitation, join…).
    for (const event of all.body.events as { ip: unknown; userAgent: unknown }[]) {
      expect(event).toMatchObject({
        ip: expect.stringMatching(/127\.0\.0\.1/),
        userAgent: expect.any(String),
      });
    }

    const first = await api('/api/v1/account/audit-events?limit=3', { token: t.owner });
    const second = await api(`/api/v1/account/audit-events?limit=3&cursor=${first.body.nextCursor}`, {
      token: t.owner,
    });
    const third = await api(`/api/v1/account/audit-events?limit=3&cursor=${second.body.nextCursor}`, {
      token: t.owner,
    });
    expect(
      [...first.body.events, ...second.body.events, ...third.body.events].map((e: { id: string }) => e.id),
    ).toEqual(all.body.events.map((e: { id: string }) => e.id));
    expect(third.body.nextCursor).toBeNull();

    expect((await api('/api/v1/account/audit-events', { token: t.ops.token })).status).toBe(401);
    expect((await api('/api/v1/account/audit-events', { token: t.billing.token })).status).toBe(403);
    expect((await api('/api/v1/account/audit-events?cursor=bogus', { token: t.owner })).status).toBe(400);
    expect((await api('/api/v1/account/audit-events?limit=500', { token: t.owner })).status).toBe(400);
  });

  it('with requireTwoFactor, restricts members without 2FA to enrolment until they confirm it', async () => {
    const t = await team();
    expect((await api('/api/v1/account/policy', { token: t.billing.token })).status).toBe(403);
    const empty = await api('/api/v1/account/policy', { method: 'PUT', token: t.owner, json: {} });
    expect([empty.status, empty.body.error.code]).toEqual([400, 'validation_failed']);
    const set = await api('/api/v1/account/policy', {
      method: 'PUT',
      token: t.owner,
      json: { requireTwoFactor: true },
    });
    // A setting left out keeps its value.
    expect(set.body).toMatchObject({ requireTwoFactor: true, gracePeriodDays: 0, notifyNewDevice: true });
    // Sessions follow the policy in force now: the admin's (and the owner's), begun before it and
    // without 2FA, are restricted at once.
    const following = await api('/api/v1/account/policy', { token: t.admin.token });
    expect([following.status, following.body.error.code]).toEqual([403, 'two_factor_required']);

    // The admin has no 2FA: a new sign-in is restricted to /me and enrolment.
    const restricted = await login(t.admin.login);
    const me = await api('/api/v1/me', { token: restricted });
    expect(me.body.session).toMatchObject({ aal: 1, restricted: true });
    const blocked = await api('/api/v1/account/members', { token: restricted });
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('two_factor_required');

    const enrollment = await api('/api/v1/me/two-factor/enrollment', {
      method: 'POST',
      token: restricted,
      json: { password: PASSWORD },
    });
    expect(enrollment.status).toBe(201);
    const app = new AuthenticatorApp(enrollment.body.secret);
    const confirmed = await api('/api/v1/me/two-factor/enrollment/confirm', {
      method: 'POST',
      token: restricted,
      json: { code: await app.nextCode() },
    });
    expect(confirmed.status).toBe(200);

    // The same session is a normal one now.
    expect((await api('/api/v1/account/members', { token: restricted })).status).toBe(200);
    expect((await api('/api/v1/me', { token: restricted })).body.session.restricted).toBe(false);
  });

  it('with requireTwoFactor, still lets an ops-only member sign in by password, on REST and Keystone', async () => {
    const t = await team();
    await api('/api/v1/account/policy', { method: 'PUT', token: t.owner, json: { requireTwoFactor: true } });
    const project = `Team ${t.base}`;
    const keystone = (user: string) =>
      api('/identity/v3/auth/tokens', {
        method: 'POST',
        json: {
          auth: {
            identity: {
              methods: ['password'],
              password: { user: { name: user, domain: { name: 'Default' }, password: PASSWORD } },
            },
            scope: { project: { name: project, domain: { name: 'Default' } } },
          },
        },
      });

    const opsSession = await api('/api/v1/auth/login', {
      method: 'POST',
      json: { login: t.ops.login, password: PASSWORD },
    });
    expect((await api('/api/v1/me', { token: opsSession.body.token })).body.session.restricted).toBe(false);
    expect((await keystone(t.ops.login)).status).toBe(201);

    const billing = await keystone(t.billing.login);
    expect(billing.status).toBe(401);
    expect(billing.body.error.message).toContain('requires two-factor authentication');
  });

  it('ends sessions at once on every gateway instance when a password changes', async () => {
    const t = await team();
    const second = running.stack.gateways[1].url;
    const viaSecond = async (token: string): Promise<number> =>
      (await fetch(`${second}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status;
    const response = await fetch(`${second}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: t.ops.login, password: PASSWORD }),
    });
    expect(response.status).toBe(200);
    const heldElsewhere = ((await response.json()) as { token: string }).token;
    expect(await viaSecond(heldElsewhere)).toBe(200);

    await api(`/api/v1/account/members/${t.ops.id}/password`, {
      method: 'PUT',
      token: t.owner,
      json: { password: 'rotated automation password' },
    });

    expect(await viaSecond(heldElsewhere)).toBe(401);
    expect(await viaSecond(t.ops.token)).toBe(401);
  });

  it('hands ownership on: the owner becomes an admin, both sign in again, only the owner may do it', async () => {
    const t = await team();
    const refused = await api('/api/v1/account/ownership', {
      method: 'POST',
      token: t.admin.token,
      json: { memberId: t.ops.id },
    });
    expect(refused.status).toBe(403);

    const done = await api('/api/v1/account/ownership', {
      method: 'POST',
      token: t.owner,
      json: { memberId: t.admin.id },
    });

    expect(done.status).toBe(204);
    expect((await api('/api/v1/me', { token: t.owner })).status).toBe(401);
    expect((await api('/api/v1/me', { token: t.admin.token })).status).toBe(401);
    const newOwner = await login(t.admin.login);
    const oldOwner = await login(t.base);
    expect((await api('/api/v1/me', { token: newOwner })).body.user.roles).toEqual(['owner']);
    expect((await api('/api/v1/me', { token: oldOwner })).body.user.roles).toEqual(['admin']);
    const ownerId: string = (await api('/api/v1/me', { token: newOwner })).body.user.id;
    expect(
      (await api(`/api/v1/account/members/${ownerId}`, { method: 'DELETE', token: oldOwner })).status,
    ).toBe(403);
  });

  it('answers a malformed member id with 400', async () => {
    const t = await team();

    const res = await api('/api/v1/account/members/not-an-id', { method: 'DELETE', token: t.owner });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });
});
