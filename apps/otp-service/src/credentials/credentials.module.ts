import { Module } from '@nestjs/common';
import { SecretBox } from '../crypto/secret-box';
import { PasskeysRepository } from '../passkeys/passkeys.repository';
import { RecoveryCodeIssuer } from '../recovery-codes/recovery-code-issuer';
import { RecoveryCodesRepository } from '../recovery-codes/recovery-codes.repository';
import { FactorOwners } from '../verification/factor-owner';
import { ActiveCredentials } from '../verification/active-credentials';
import { AttemptLimiter } from '../verification/attempt-limiter';
import { TotpChecker } from '../verification/totp-checker';
import { CredentialsRepository } from './credentials.repository';

/** The credential store and what every capability checks codes with. */
const SHARED = [
  CredentialsRepository,
  RecoveryCodesRepository,
  SecretBox,
  AttemptLimiter,
  TotpChecker,
  RecoveryCodeIssuer,
  ActiveCredentials,
  FactorOwners,
  PasskeysRepository,
];

@Module({ providers: SHARED, exports: SHARED })
export class CredentialsModule {}
