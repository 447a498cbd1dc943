import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { runMain } from '@twofold/platform';
import { AppModule } from './app.module';
import { loadOtpConfig } from './config/otp-config';
import { CredentialsRepository } from './credentials/credentials.repository';
import { SecretBox } from './crypto/secret-box';
import { secretContext } from './verification/totp-checker';

const BATCH = 200;

/**
 * `nx run otp-service:rotate-keys`: re-encrypts every OTP secret under the newest key of
 * OTP_ENCRYPTION_KEYS. Safe to run while the service serves traffic and to run again.
 * Recovery codes are hashes and cannot be re-keyed: keep a retired key configured until the
 * codes made under it have been used or regenerated.
 */
export async function rotateKeys(app: INestApplicationContext): Promise<number> {
  const credentials = app.get(CredentialsRepository);
  const box = app.get(SecretBox);
  let rotated = 0;
  for (;;) {
    const batch = await credentials.sealedUnderOtherKeys(box.currentKeyId, BATCH);
    if (batch.length === 0) return rotated;
    for (const credential of batch) {
      const context = secretContext(credential.memberId);
      const secret = box.open(credential.sealed, context);
      if (await credentials.reseal(credential.id, credential.sealed, box.seal(secret, context))) rotated += 1;
      secret.fill(0);
    }
  }
}

if (require.main === module) {
  runMain('otp-service rotate-keys', async () => {
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(loadOtpConfig()), {
      logger: ['error'],
    });
    try {
      const rotated = await rotateKeys(app);
      process.stdout.write(
        `Re-encrypted ${rotated} OTP secret(s) under key "${app.get(SecretBox).currentKeyId}".\n`,
      );
    } finally {
      await app.close();
    }
  });
}
