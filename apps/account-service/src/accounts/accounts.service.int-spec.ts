import { type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { type SignUpRequest } from '@twofold/contracts';
import {
  createIntegrationEnv,
  domainErrorOf,
  eventually,
  type IntegrationEnv,
  metaFrom,
} from '@twofold/testing';
import { type DataSource } from 'typeorm';
import { AppModule } from '../app.module';
import { AuditRepository } from '../audit/audit.repository';
import { loadAccountConfig } from '../config/account-config';
import { AccountsService } from './accounts.service';

describe(AccountsService.name, () => {
  let infra: IntegrationEnv;
  let app: INestApplicationContext;
  let accounts: AccountsService;
  let db: DataSource;
  let n = 0;

  const signUp = (overrides: Partial<SignUpRequest> = {}): SignUpRequest => {
    n += 1;
    return {
      accountName: `Acme ${n}`,
      login: `user${n}`,
      email: `user${n}@example.com`,
      password: 'correct horse battery staple',
      ...overrides,
    };
  };

  beforeAll(async () => {
    infra = await createIntegrationEnv('account_service');
    const module = await Test.createTestingModule({
      imports: [AppModule.forRoot(loadAccountConfig(infra.env))],
    }).compile();
    app = await module.init();
    accounts = app.get(AccountsService);
    db = app.get(getDataSourceToken());
  });

  afterAll(async () => {
    await app?.close();
    await infra?.cleanup();
  });

  describe('signUp', () => {
    it('creates the account with its owner', async () => {
      const request = signUp();

      const created = await accounts.signUp(request, null);

      expect(created.account.name).toBe(request.accountName);
      expect(created.user).toMatchObject({ login: request.login, email: request.email, roles: ['owner'] });
      expect(await accounts.getMember(created.user.id)).toEqual(created);
    });

    it('stores the password only as an argon2id hash', async () => {
      const request = signUp();
      const created = await accounts.signUp(request, null);

      const [row] = await db.query<{ password_hash: string }[]>(
        'SELECT password_hash FROM account.members WHERE id = $1',
        [created.user.id],
      );

      expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(row?.password_hash).not.toContain(request.password);
    });

    it('refuses an account name already taken, in any case, and creates nothing', async () => {
      const first = signUp();
      await accounts.signUp(first, null);
      const before = await db.query<{ count: string }[]>('SELECT count(*) FROM account.members');

      const error = await domainErrorOf(
        accounts.signUp(signUp({ accountName: first.accountName.toUpperCase() }), null),
      );

      expect(error.code).toBe('account_name_taken');
      expect(await db.query('SELECT count(*) FROM account.members')).toEqual(before);
    });

    it('names every taken field at once: account name and login', async () => {
      const first = signUp();
      await accounts.signUp(first, null);

      const error = await domainErrorOf(
        accounts.signUp(signUp({ accountName: first.accountName, login: first.login.toUpperCase() }), null),
      );

      expect(error.code).toBe('account_name_taken');
      expect(error.details).toEqual([
        { path: 'accountName', message: 'is taken' },
        { path: 'login', message: 'is taken' },
      ]);
    });

    it('refuses a login already taken, in any case, and leaves no orphan account', async () => {
      const first = signUp();
      await accounts.signUp(first, null);
      const second = signUp({ login: first.login.toUpperCase() });

      const error = await domainErrorOf(accounts.signUp(second, null));

      expect(error.code).toBe('login_taken');
      const orphans = await db.query<unknown[]>('SELECT 1 FROM account.accounts WHERE name = $1', [
        second.accountName,
      ]);
      expect(orphans).toHaveLength(0);
    });

    it('records an account.created audit entry through the security-events queue', async () => {
      const created = await accounts.signUp(signUp(), null);

      const rows = await eventually(async () => {
        const found = await db.query<{ type: string; actor_id: string; details: Record<string, unknown> }[]>(
          'SELECT type, actor_id, details FROM account.audit_events WHERE account_id = $1',
          [created.account.id],
        );
        return found.length > 0 ? found : undefined;
      });

      expect(rows).toEqual([
        {
          type: 'account.created',
          actor_id: created.user.id,
          details: { accountName: created.account.name, login: created.user.login },
        },
      ]);
    });
  });

  describe('authenticatePassword', () => {
    it('accepts the right password with the login in any case', async () => {
      const request = signUp();
      const created = await accounts.signUp(request, null);

      const found = await accounts.authenticatePassword(
        { login: request.login.toUpperCase(), password: request.password },
        metaFrom('192.0.2.1'),
      );

      expect(found).toEqual({ ...created, securityStamp: '0' });
    });

    it('answers a wrong password and an unknown login identically', async () => {
      const request = signUp();
      await accounts.signUp(request, null);

      const wrongPassword = await domainErrorOf(
        accounts.authenticatePassword({ login: request.login, password: 'not the password' }, null),
      );
      const unknownLogin = await domainErrorOf(
        accounts.authenticatePassword({ login: 'nobody-here', password: request.password }, null),
      );

      expect(wrongPassword.toPayload()).toEqual(unknownLogin.toPayload());
      expect(wrongPassword.code).toBe('invalid_credentials');
    });
  });

  describe('getMember', () => {
    it('answers not_found for an unknown member', async () => {
      const error = await domainErrorOf(accounts.getMember('00000000-0000-4000-8000-000000000000'));

      expect(error.code).toBe('not_found');
    });
  });
});

describe(AuditRepository.name, () => {
  let infra: IntegrationEnv;
  let app: INestApplicationContext;

  beforeAll(async () => {
    infra = await createIntegrationEnv('audit');
    const module = await Test.createTestingModule({
      imports: [AppModule.forRoot(loadAccountConfig(infra.env))],
    }).compile();
    app = await module.init();
  });

  afterAll(async () => {
    await app?.close();
    await infra?.cleanup();
  });

  it('records an event once, however often it is delivered', async () => {
    const { account, user } = await app.get(AccountsService).signUp(
      {
        accountName: 'Idempotent',
        login: 'idem',
        email: 'idem@example.com',
        password: 'correct horse battery staple',
      },
      null,
    );
    const event = {
      eventId: '2b9f8a40-5d0c-4f4e-9a53-0d0c6f1b7a11',
      type: 'member.added' as const,
      accountId: account.id,
      actorId: user.id,
      subjectId: user.id,
      occurredAt: new Date().toISOString(),
      ip: '127.0.0.1',
      userAgent: 'jest',
      requestId: 'req-1',
      details: { login: 'someone', roles: 'admin' },
    };
    const audit = app.get(AuditRepository);

    const results = [await audit.recordOnce(event), await audit.recordOnce(event)];

    expect(results).toEqual([true, false]);
    expect((await audit.listForAccount(account.id, 10)).filter((e) => e.id === event.eventId)).toHaveLength(
      1,
    );
  });
});
