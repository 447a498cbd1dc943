import { SecurityEventOutbox1764400000000 } from '@twofold/platform';
import { AccountsMembersAudit1764316800000 } from './1764316800000-accounts-members-audit';
import { AuditNotified1764324000000 } from './1764324000000-audit-notified';
import { RequireTwoFactor1764327600000 } from './1764327600000-require-two-factor';
import { AccountKind1764500000000 } from './1764500000000-account-kind';
import { ApplicationCredentials1764600000000 } from './1764600000000-application-credentials';
import { SecurityCenter1764800000000 } from './1764800000000-security-center';
import { TwoFactorGracePeriod1764900000000 } from './1764900000000-two-factor-grace-period';
import { ResyncLinks1764950000000 } from './1764950000000-resync-links';
import { CredentialSecondFactor1765100000000 } from './1765100000000-credential-second-factor';
import { LinkCodeFailures1765100100000 } from './1765100100000-link-code-failures';
import { VerifiedEmail1765100200000 } from './1765100200000-verified-email';
import { Invitations1765100300000 } from './1765100300000-invitations';
import { SecondFactorPolicy1765300000000 } from './1765300000000-second-factor-policy';
import { MemberLanguage1765400000000 } from './1765400000000-member-language';

/** Every migration of the "account" schema, oldest first. */
export const ACCOUNT_MIGRATIONS = [
  AccountsMembersAudit1764316800000,
  AuditNotified1764324000000,
  RequireTwoFactor1764327600000,
  // The outbox of security events the queue could not take yet (shared plumbing, this schema).
  SecurityEventOutbox1764400000000,
  AccountKind1764500000000,
  ApplicationCredentials1764600000000,
  SecurityCenter1764800000000,
  TwoFactorGracePeriod1764900000000,
  ResyncLinks1764950000000,
  CredentialSecondFactor1765100000000,
  LinkCodeFailures1765100100000,
  VerifiedEmail1765100200000,
  Invitations1765100300000,
  SecondFactorPolicy1765300000000,
  MemberLanguage1765400000000,
];
