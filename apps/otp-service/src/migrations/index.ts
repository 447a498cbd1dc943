import { SecurityEventOutbox1764400000000 } from '@twofold/platform';
import { CredentialsRecoveryCodes1764316800000 } from './1764316800000-credentials-recovery-codes';
import { CredentialLock1764320400000 } from './1764320400000-credential-lock';
import { CredentialDrift1764900000000 } from './1764900000000-credential-drift';
import { CredentialLastStep1765000000000 } from './1765000000000-credential-last-step';
import { Passkeys1765200000000 } from './1765200000000-passkeys';
import { MemberRecoveryCodes1765300000000 } from './1765300000000-member-recovery-codes';
import { RecoveryCodeChecked1765400000000 } from './1765400000000-recovery-code-checked';

/** Every migration of the "otp" schema, oldest first. */
export const OTP_MIGRATIONS = [
  CredentialsRecoveryCodes1764316800000,
  CredentialLock1764320400000,
  // The outbox of security events the queue could not take yet (shared plumbing, this schema).
  SecurityEventOutbox1764400000000,
  CredentialDrift1764900000000,
  CredentialLastStep1765000000000,
  Passkeys1765200000000,
  MemberRecoveryCodes1765300000000,
  RecoveryCodeChecked1765400000000,
];
