import './tracing'; // first: tracing wraps what the rest loads
import 'reflect-metadata';
import { OtpOperatorRpc, OtpRpc, PasskeyRpc } from '@twofold/contracts';
import { runMain, startService } from '@twofold/platform';
import { AppModule, SERVICE_NAME } from './app.module';
import { loadOtpConfig } from './config/otp-config';

runMain(SERVICE_NAME, async () => {
  const config = loadOtpConfig();
  await startService(AppModule.forRoot(config), {
    queueGroup: config.OTP_SERVICE_QUEUE,
    httpPort: config.OTP_SERVICE_PORT,
    env: config,
    serves: [OtpRpc, OtpOperatorRpc, PasskeyRpc],
  });
});
