import { initializeServiceDataSource, runMain } from '@twofold/platform';
import { loadOtpConfig } from './config/otp-config';
import { otpDataSourceOptions } from './database';

/** `nx run otp-service:migrate`: applies pending migrations of the "otp" schema and exits. */
runMain('otp-service migrate', async () => {
  const db = await initializeServiceDataSource(otpDataSourceOptions(loadOtpConfig()));
  await db.destroy();
  process.stdout.write('Migrations of the "otp" schema are applied.\n');
});
