import 'reflect-metadata';
import { checkDependencies, runMain, startServiceApp } from '@twofold/platform';
import { AppModule, SERVICE_NAME } from './app.module';
import { loadAccountConfig } from './config/account-config';

runMain(SERVICE_NAME, async () => {
  const config = loadAccountConfig();
  await checkDependencies([
    { name: 'PostgreSQL', url: config.DATABASE_URL },
    { name: 'Redis', url: config.REDIS_URL },
    { name: 'NATS', url: config.NATS_URL },
  ]);
  await startServiceApp(AppModule.forRoot(config), {
    queueGroup: config.ACCOUNT_SERVICE_QUEUE,
    httpPort: config.ACCOUNT_SERVICE_PORT,
    env: config,
  });
});
