import { Module } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { MemberChanges } from '../accounts/member-changes';
import { ApplicationCredentialsRepository } from '../application-credentials/application-credentials.repository';
import { LinkTokensRepository } from '../links/link-tokens.repository';
import { PasswordAttempts } from '../passwords/password-attempts';
import { PasswordHasher } from '../passwords/password-hasher';
import { PasswordResetHandler } from './password-reset.handler';
import { PasswordResetService } from './password-reset.service';

@Module({
  controllers: [PasswordResetHandler],
  providers: [
    PasswordResetService,
    AccountsRepository,
    ApplicationCredentialsRepository,
    MemberChanges,
    LinkTokensRepository,
    PasswordHasher,
    PasswordAttempts,
  ],
})
export class PasswordResetModule {}
