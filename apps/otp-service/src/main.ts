import 'reflect-metadata';
import { checkDependencies, runMain, startServiceApp } from '@twofold/platform';
import { AppModule, SERVICE_NAME } from './app.module';
import { loadOtpConfig } from './config/otp-config';

runMain(SERVICE_NAME, async () => {
  const config = loadOtpConfig();
  await checkDependencies([
    { name: 'PostgreSQL', url: config.DATABASE_URL },
    { name: 'Redis', url: config.REDIS_URL },
    { name: 'NATS', url: config.NATS_URL },
  ]);
  await startServiceApp(AppModule.forRoot(config), {
    queueGroup: config.OTP_SERVICE_QUEUE,
    httpPort: config.OTP_SERVICE_PORT,
    env: config,
  });
});
