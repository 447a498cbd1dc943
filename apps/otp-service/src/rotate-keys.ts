import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { runScript } from '@twofold/platform';
import { AppModule } from './app.module';
import { loadOtpConfig } from './config/otp-config';
import { SecretBox } from './crypto/secret-box';
import { OperatorService } from './operator/operator.service';

/** `nx run otp-service:rotate-keys` (also `npm run admin -- keys rotate`, over NATS). */
export async function rotateKeys(app: INestApplicationContext): Promise<number> {
  return (await app.get(OperatorService).rotateKeys()).resealed;
}

if (require.main === module) {
  runScript('otp-service rotate-keys', async () => {
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(loadOtpConfig()), {
      logger: ['error'],
    });
    const rotated = await rotateKeys(app);
    process.stdout.write(
      `Re-encrypted ${rotated} OTP secret(s) under key "${app.get(SecretBox).currentKeyId}".\n`,
    );
    return app;
  });
}
