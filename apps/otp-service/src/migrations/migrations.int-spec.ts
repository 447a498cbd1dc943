import { initializeServiceDataSource, StartupError } from '@twofold/platform';
import { createIntegrationEnv, type IntegrationEnv } from '@twofold/testing';
import { loadOtpConfig } from '../config/otp-config';
import { otpDataSourceOptions } from '../database';

/** How otp-service's schema is brought up to date: by the first of several processes, or by a Job. */
describe('the otp schema’s migrations', () => {
  let infra: IntegrationEnv;

  beforeEach(async () => {
    infra = await createIntegrationEnv('otp_migrations');
  });

  afterEach(async () => {
    await infra?.cleanup();
  });

  const options = () => otpDataSourceOptions(loadOtpConfig(infra.env));

  it('are applied once when several processes start on a new database together', async () => {
    const started = await Promise.all(
      Array.from({ length: 4 }, () => initializeServiceDataSource(options(), 'migrate')),
    );

    const applied = await started[0].query<{ name: string }[]>('SELECT name FROM otp.migrations');
    expect(applied.length).toBe(started[0].migrations.length);
    expect(new Set(applied.map((m) => m.name)).size).toBe(applied.length);
    await Promise.all(started.map((db) => db.destroy()));
  });

  it('stop a process that only verifies them on a schema behind the code, saying what to do', async () => {
    const refused = await initializeServiceDataSource(options(), 'verify').then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(refused).toBeInstanceOf(StartupError);
    expect((refused as Error).message).toMatch(
      /schema "otp" is behind this release: run its migrations first/,
    );
    const migrated = await initializeServiceDataSource(options(), 'migrate');
    await migrated.destroy();
    const verified = await initializeServiceDataSource(options(), 'verify');
    await verified.destroy();
  });
});
