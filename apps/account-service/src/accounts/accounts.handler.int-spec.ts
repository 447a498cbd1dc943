import { type INestApplication } from '@nestjs/common';
import { AccountOperatorRpc, AccountRpc, ApplicationCredentialRpc, AuditRpc } from '@twofold/contracts';
import { RpcClient, startServiceApp } from '@twofold/platform';
import { createIntegrationEnv, domainErrorOf, freePort, type IntegrationEnv } from '@twofold/testing';
import { connect, type NatsConnection } from 'nats';
import { AppModule } from '../app.module';
import { loadAccountConfig } from '../config/account-config';

/** account-service's NATS subjects, called the way the gateway calls them. */
describe('account-service over NATS', () => {
  let infra: IntegrationEnv;
  let app: INestApplication;
  let nc: NatsConnection;
  let rpc: RpcClient;

  beforeAll(async () => {
    infra = await createIntegrationEnv('account_rpc');
    const config = loadAccountConfig({ ...infra.env, ACCOUNT_SERVICE_PORT: String(await freePort()) });
    app = await startServiceApp(AppModule.forRoot(config), {
      queueGroup: config.ACCOUNT_SERVICE_QUEUE,
      httpPort: config.ACCOUNT_SERVICE_PORT,
      env: config,
      serves: [AccountRpc, ApplicationCredentialRpc, AccountOperatorRpc, AuditRpc],
    });
    nc = await connect({ servers: infra.natsUrl });
    rpc = new RpcClient(() => nc, infra.env.NATS_SUBJECT_PREFIX ?? '', 3000, { checkAnswers: true });
  });

  afterAll(async () => {
    await nc?.drain();
    await app?.close();
    await infra?.cleanup();
  });

  it(`answers ${AccountRpc.signUp.subject} with the new account and owner`, async () => {
    const created = await rpc.call(AccountRpc.signUp, {
      accountName: 'Rpc Co',
      login: 'rpc-owner',
      email: 'owner@rpc.example',
      password: 'correct horse battery staple',
    });

    expect(created.user).toMatchObject({ login: 'rpc-owner', roles: ['owner'] });
  });

  it('answers a taken login with the typed error login_taken', async () => {
    const request = {
      accountName: 'Rpc Two',
      login: 'rpc-dup',
      email: 'a@rpc.example',
      password: 'x'.repeat(12),
    };
    await rpc.call(AccountRpc.signUp, request);

    const error = await domainErrorOf(rpc.call(AccountRpc.signUp, { ...request, accountName: 'Rpc Three' }));

    expect(error.code).toBe('login_taken');
  });

  it('answers an invalid payload with validation_failed naming the field, not a crash', async () => {
    const error = await domainErrorOf(
      rpc.call(AccountRpc.signUp, {
        accountName: 'Rpc Four',
        login: 'rpc-four',
        email: 'nope',
        password: 'x'.repeat(12),
      }),
    );

    expect(error.code).toBe('validation_failed');
    expect(error.details).toEqual([{ path: 'email', message: 'must be an e-mail address' }]);
  });

  it('signs up in the language named, else in the best of Accept-Language, else English', async () => {
    const signUp = (login: string, language?: 'de', acceptLanguage?: string) =>
      rpc.call(
        AccountRpc.signUp,
        {
          accountName: `Rpc ${login}`,
          login,
          email: `${login}@rpc.example`,
          password: 'correct horse battery staple',
          ...(language ? { language } : {}),
        },
        { meta: { requestId: login, ip: null, userAgent: null, acceptLanguage: acceptLanguage ?? null } },
      );
    const languageOf = async (login: string, language?: 'de', acceptLanguage?: string) =>
      (
        await rpc.call(AccountRpc.languageOf, {
          memberId: (await signUp(login, language, acceptLanguage)).user.id,
        })
      ).language;

    expect(await languageOf('rpc-named', 'de', 'en')).toBe('de');
    expect(await languageOf('rpc-negotiated', undefined, 'fr-CH, de-AT;q=0.8, en;q=0.5')).toBe('de');
    expect(await languageOf('rpc-unsaid')).toBe('en');
  });

  it('changes a member’s language, and refuses one not offered with validation_failed, changing nothing', async () => {
    const { user } = await rpc.call(AccountRpc.signUp, {
      accountName: 'Rpc Language',
      login: 'rpc-language',
      email: 'language@rpc.example',
      password: 'correct horse battery staple',
    });

    expect(await rpc.call(AccountRpc.setLanguage, { memberId: user.id, language: 'de' })).toEqual({
      language: 'de',
    });
    const error = await domainErrorOf(
      rpc.call(AccountRpc.setLanguage, { memberId: user.id, language: 'fr' as 'de' }),
    );

    expect(error.code).toBe('validation_failed');
    expect(error.details).toEqual([{ path: 'language', message: 'must be one of en, de' }]);
    expect(await rpc.call(AccountRpc.languageOf, { memberId: user.id })).toEqual({ language: 'de' });
  });

  it('answers a wrong password with invalid_credentials', async () => {
    const error = await domainErrorOf(
      rpc.call(AccountRpc.authenticatePassword, { login: 'rpc-owner', password: 'wrong' }),
    );

    expect(error.code).toBe('invalid_credentials');
  });

  it('reports its readiness on its health subject', async () => {
    const report = await rpc.call(AccountRpc.health, {});

    expect(report).toEqual({
      service: 'account-service',
      ready: true,
      checks: { postgres: 'up', redis: 'up' },
    });
  });

  it('is not reachable under another subject prefix: callers fail at once with service_unavailable', async () => {
    const elsewhere = new RpcClient(() => nc, 'nobody-serves-this.', 5000);
    const started = Date.now();

    const error = await domainErrorOf(elsewhere.call(AccountRpc.health, {}));

    expect(error.code).toBe('service_unavailable');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
