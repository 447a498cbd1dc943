import { Module } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { MemberChanges } from '../accounts/member-changes';
import { PasswordAttempts } from '../passwords/password-attempts';
import { PasswordHasher } from '../passwords/password-hasher';
import { ApplicationCredentialsHandler } from './application-credentials.handler';
import { ApplicationCredentialsRepository } from './application-credentials.repository';
import { ApplicationCredentialsService } from './application-credentials.service';

@Module({
  controllers: [ApplicationCredentialsHandler],
  providers: [
    ApplicationCredentialsService,
    ApplicationCredentialsRepository,
    AccountsRepository,
    MemberChanges,
    PasswordHasher,
    PasswordAttempts,
  ],
})
export class ApplicationCredentialsModule {}
