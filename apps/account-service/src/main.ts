import './tracing'; // first: tracing wraps what the rest loads
import 'reflect-metadata';
import { AccountOperatorRpc, AccountRpc, ApplicationCredentialRpc, AuditRpc } from '@twofold/contracts';
import { runMain, startService } from '@twofold/platform';
import { AppModule, SERVICE_NAME } from './app.module';
import { loadAccountConfig } from './config/account-config';

runMain(SERVICE_NAME, async () => {
  const config = loadAccountConfig();
  await startService(AppModule.forRoot(config), {
    queueGroup: config.ACCOUNT_SERVICE_QUEUE,
    httpPort: config.ACCOUNT_SERVICE_PORT,
    env: config,
    serves: [AccountRpc, ApplicationCredentialRpc, AccountOperatorRpc, AuditRpc],
  });
});
