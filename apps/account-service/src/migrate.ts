import { initializeServiceDataSource, runMain } from '@twofold/platform';
import { loadAccountConfig } from './config/account-config';
import { accountDataSourceOptions } from './database';

/** `nx run account-service:migrate`: applies pending migrations of the "account" schema and exits. */
runMain('account-service migrate', async () => {
  const db = await initializeServiceDataSource(accountDataSourceOptions(loadAccountConfig()));
  await db.destroy();
  process.stdout.write('Migrations of the "account" schema are applied.\n');
});
