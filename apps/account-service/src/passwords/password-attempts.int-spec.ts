import { type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type MemberWithAccount } from '@twofold/contracts';
import { Clock, SecurityStamps } from '@twofold/platform';
import {
  createIntegrationEnv,
  domainErrorOf,
  eventually,
  type IntegrationEnv,
  TestClock,
  metaFrom,
} from '@twofold/testing';
import { AccountsService } from '../accounts/accounts.service';
import { AppModule } from '../app.module';
import { AuditRepository } from '../audit/audit.repository';
import { loadAccountConfig } from '../config/account-config';
import { MembersService } from '../members/members.service';

const PASSWORD = 'correct horse battery staple';

describe('password attempt limits', () => {
  let infra: IntegrationEnv;
  let app: INestApplicationContext;
  let accounts: AccountsService;
  const clock = new TestClock(new Date('2026-12-01T10:00:00Z'));
  let n = 0;

  beforeAll(async () => {
    infra = await createIntegrationEnv('password_attempts');
    // Short roads: back-off from the 3rd failure of an address, its stop at the 5th, the lock at 8.
    const config = loadAccountConfig({
      ...infra.env,
      PASSWORD_BACKOFF_AFTER_FAILURES: '3',
      PASSWORD_ADDRESS_STOP_AFTER_FAILURES: '5',
      PASSWORD_ADDRESS_WINDOW_SECONDS: '3600',
      PASSWORD_LOCK_AFTER_FAILURES: '8',
    });
    const module = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
      .overrideProvider(Clock)
      .useValue(clock)
      .compile();
    app = await module.init();
    accounts = app.get(AccountsService);
  });

  afterAll(async () => {
    await app?.close();
    await infra?.cleanup();
  });

  const owner = async (): Promise<MemberWithAccount> => {
    n += 1;
    return accounts.signUp(
      {
        accountName: `Limits ${n}`,
        login: `limits-${n}`,
        email: `limits-${n}@example.com`,
        password: PASSWORD,
      },
      null,
    );
  };
  const signIn = (login: string, password: string, from: string) =>
    accounts.authenticatePassword({ login, password }, metaFrom(from));
  const outcome = async (login: string, password: string, from: string): Promise<string> => {
    try {
      await signIn(login, password, from);
      return 'ok';
    } catch (error) {
      const e = error as { code: string; retryAfterSeconds?: number };
      return e.retryAfterSeconds ? `${e.code} ${e.retryAfterSeconds}s` : e.code;
    }
  };

  it('backs an address off after 3 failures in a row, doubling, then stops it; another address is not held back', async () => {
    const { user } = await owner();
    const answers: string[] = [];
    for (let i = 0; i < 3; i += 1) answers.push(await outcome(user.login, 'wrong password', '192.0.2.1'));
    answers.push(await outcome(user.login, PASSWORD, '192.0.2.1'));
    clock.advance(1000);
    answers.push(await outcome(user.login, 'wrong password', '192.0.2.1'));
    answers.push(await outcome(user.login, 'wrong password', '192.0.2.1'));
    clock.advance(2000);
    answers.push(await outcome(user.login, 'wrong password', '192.0.2.1'));
    answers.push(await outcome(user.login, PASSWORD, '192.0.2.1'));

    expect(answers).toEqual([
      'invalid_credentials',
      'invalid_credentials',
      'invalid_credentials',
      'too_many_attempts 1s',
      'invalid_credentials',
      'too_many_attempts 2s',
      'invalid_credentials',
      'too_many_attempts 3600s',
    ]);
    expect(await outcome(user.login, PASSWORD, '198.51.100.1')).toBe('ok');
  });

  it('answers an unknown login exactly as a known one, attempt for attempt', async () => {
    const { user } = await owner();
    const known: string[] = [];
    const unknown: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      known.push(await outcome(user.login, 'wrong password', '192.0.2.2'));
      unknown.push(await outcome(`nobody-${n}`, 'wrong password', '192.0.2.2'));
    }

    expect(unknown).toEqual(known);
  });

  it('counts a login case-insensitively, and by id the same as by name', async () => {
    const { user } = await owner();
    for (const login of [user.login, user.login.toUpperCase()]) {
      await domainErrorOf(signIn(login, 'wrong password', '192.0.2.3'));
    }
    await domainErrorOf(
      accounts.authenticatePassword({ memberId: user.id, password: 'wrong password' }, metaFrom('192.0.2.3')),
    );

    expect(await outcome(user.login, PASSWORD, '192.0.2.3')).toBe('too_many_attempts 1s');
  });

  it('lets exactly 3 of 50 concurrent wrong passwords from one address reach the check', async () => {
    const { user } = await owner();

    const answers = await Promise.all(
      Array.from({ length: 50 }, () => outcome(user.login, 'wrong password', '192.0.2.4')),
    );

    expect(answers.filter((a) => a === 'invalid_credentials')).toHaveLength(3);
    expect(answers.filter((a) => a.startsWith('too_many_attempts'))).toHaveLength(47);
  });

  it('lets 20 concurrent right passwords from one address all in (automation signing in in parallel)', async () => {
    const { user } = await owner();

    const answers = await Promise.all(
      Array.from({ length: 20 }, () => outcome(user.login, PASSWORD, '192.0.2.7')),
    );

    expect(answers).toEqual(Array(20).fill('ok'));
  });

  it('forgets the failures after a success', async () => {
    const { user } = await owner();
    for (let i = 0; i < 2; i += 1) await domainErrorOf(signIn(user.login, 'wrong password', '192.0.2.5'));
    await signIn(user.login, PASSWORD, '192.0.2.5');
    const answers: string[] = [];
    for (let i = 0; i < 3; i += 1) answers.push(await outcome(user.login, 'wrong password', '192.0.2.5'));

    expect(answers).toEqual(['invalid_credentials', 'invalid_credentials', 'invalid_credentials']);
  });

  it('locks the login after 8 failures from all addresses together, audited; a new password set by an admin unlocks it', async () => {
    const created = await owner();
    const admin = await app.get(MembersService).add(
      {
        actor: { memberId: created.user.id, accountId: created.account.id },
        member: {
          login: `victim-${n}`,
          email: `victim-${n}@example.com`,
          password: PASSWORD,
          // An admin sets the password of an ops-only member only (others choose their own).
          roles: ['ops'],
        },
      },
      null,
    );
    for (let i = 0; i < 8; i += 1) {
      await domainErrorOf(signIn(admin.login, 'wrong password', `203.0.113.${i}`));
    }

    expect(await outcome(admin.login, PASSWORD, '198.51.100.2')).toBe('sign_in_locked');
    await app.get(MembersService).setPassword(
      {
        actor: { memberId: created.user.id, accountId: created.account.id },
        memberId: admin.id,
        password: 'a brand new passphrase',
      },
      null,
    );
    expect(await outcome(admin.login, 'a brand new passphrase', '198.51.100.2')).toBe('ok');
    const events = await eventually(async () => {
      const listed = await app.get(AuditRepository).listForAccount(created.account.id, 50);
      const relevant = listed.filter((e) => e.type.startsWith('sign_in.'));
      return relevant.length >= 2 ? relevant : undefined;
    });
    expect(events.map((e) => [e.type, e.details]).sort()).toEqual([
      ['sign_in.locked', { failures: 8 }],
      ['sign_in.unlocked', { byAdmin: true }],
    ]);
  });

  it('does not refuse a signed-in member re-authenticating while the login is locked, and lifts the lock', async () => {
    const { user } = await owner();
    for (let i = 0; i < 8; i += 1)
      await domainErrorOf(signIn(user.login, 'wrong password', `203.0.113.${i}`));
    expect(await outcome(user.login, PASSWORD, '198.51.100.3')).toBe('sign_in_locked');

    await accounts.verifyMemberPassword({ memberId: user.id, password: PASSWORD }, metaFrom('198.51.100.3'));

    expect(await outcome(user.login, PASSWORD, '198.51.100.3')).toBe('ok');
  });

  it('answers the member’s security stamp, read before the credentials, which a password change replaces', async () => {
    const { user } = await owner();
    const before = await signIn(user.login, PASSWORD, '192.0.2.6');

    const changed = await accounts.changePassword(
      {
        memberId: user.id,
        currentPassword: PASSWORD,
        newPassword: 'another good passphrase',
        grant: { stamp: before.securityStamp },
      },
      metaFrom('192.0.2.6'),
    );

    expect(before.securityStamp).toBe('0');
    expect(changed.securityStamp).not.toBe(before.securityStamp);
    expect(await app.get(SecurityStamps).current(user.id)).toBe(changed.securityStamp);
  });

  it('changes nothing from a grant whose stamp another change replaced (a removal, not-me, an admin)', async () => {
    const { user } = await owner();
    const stale = (await signIn(user.login, PASSWORD, '192.0.2.7')).securityStamp;
    await app.get(SecurityStamps).change([user.id], () => Promise.resolve());

    const refused = await accounts
      .changePassword(
        {
          memberId: user.id,
          currentPassword: PASSWORD,
          newPassword: 'another good passphrase',
          grant: { stamp: stale },
        },
        metaFrom('192.0.2.7'),
      )
      .catch((error: { code?: string }) => error.code);

    expect(refused).toBe('unauthenticated');
    expect((await signIn(user.login, PASSWORD, '192.0.2.7')).user.id).toBe(user.id);
  });
});
