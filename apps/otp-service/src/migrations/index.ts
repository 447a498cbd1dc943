import { CredentialsRecoveryCodes1764316800000 } from './1764316800000-credentials-recovery-codes';

/** Every migration of the "otp" schema, oldest first. */
export const OTP_MIGRATIONS = [CredentialsRecoveryCodes1764316800000];
