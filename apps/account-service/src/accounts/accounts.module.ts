import { Module } from '@nestjs/common';
import { PasswordAttempts } from '../passwords/password-attempts';
import { PasswordHasher } from '../passwords/password-hasher';
import { AccountsHandler } from './accounts.handler';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';

@Module({
  controllers: [AccountsHandler],
  providers: [AccountsService, AccountsRepository, PasswordHasher, PasswordAttempts],
})
export class AccountsModule {}
