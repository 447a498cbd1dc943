import { Module } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { PasswordAttempts } from '../passwords/password-attempts';
import { PasswordHasher } from '../passwords/password-hasher';
import { PolicyModule } from '../policy/policy.module';
import { MembersHandler } from './members.handler';
import { MembersService } from './members.service';

@Module({
  imports: [PolicyModule],
  controllers: [MembersHandler],
  providers: [MembersService, AccountsRepository, PasswordHasher, PasswordAttempts],
})
export class MembersModule {}
