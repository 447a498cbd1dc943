import { Module } from '@nestjs/common';
import { ApplicationCredentialsRepository } from '../application-credentials/application-credentials.repository';
import { PasswordAttempts } from '../passwords/password-attempts';
import { PasswordHasher } from '../passwords/password-hasher';
import { AccountsHandler } from './accounts.handler';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { LoginProbes } from './login-probes';
import { MemberChanges } from './member-changes';

@Module({
  controllers: [AccountsHandler],
  providers: [
    AccountsService,
    AccountsRepository,
    MemberChanges,
    LoginProbes,
    ApplicationCredentialsRepository,
    PasswordHasher,
    PasswordAttempts,
  ],
  exports: [AccountsService, AccountsRepository, MemberChanges],
})
export class AccountsModule {}
