import { Module } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { ApplicationCredentialsRepository } from '../application-credentials/application-credentials.repository';
import { PasswordAttempts } from '../passwords/password-attempts';
import { PasswordHasher } from '../passwords/password-hasher';
import { PolicyModule } from '../policy/policy.module';
import { MembersHandler } from './members.handler';
import { LoginProbes } from '../accounts/login-probes';
import { MemberChanges } from '../accounts/member-changes';
import { MembersService } from './members.service';

@Module({
  imports: [PolicyModule],
  controllers: [MembersHandler],
  providers: [
    MembersService,
    AccountsRepository,
    MemberChanges,
    LoginProbes,
    ApplicationCredentialsRepository,
    PasswordHasher,
    PasswordAttempts,
  ],
})
export class MembersModule {}
