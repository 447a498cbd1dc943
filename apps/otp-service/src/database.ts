import { serviceDataSourceOptions } from '@twofold/platform';
import { type DataSourceOptions } from 'typeorm';
import { type OtpConfig } from './config/otp-config';
import { OtpCredentialEntity } from './credentials/otp-credential.entity';
import { OTP_MIGRATIONS } from './migrations';
import { PasskeyEntity } from './passkeys/passkey.entity';
import { RecoveryCodeEntity } from './recovery-codes/recovery-code.entity';

/** otp-service owns the PostgreSQL schema "otp". */
export const OTP_SCHEMA = 'otp';

export function otpDataSourceOptions(config: Pick<OtpConfig, 'DATABASE_URL'>): DataSourceOptions {
  return serviceDataSourceOptions({
    url: config.DATABASE_URL,
    schema: OTP_SCHEMA,
    entities: [OtpCredentialEntity, RecoveryCodeEntity, PasskeyEntity],
    migrations: OTP_MIGRATIONS,
    applicationName: 'otp-service',
  });
}
