import { Module } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { PasswordAttempts } from '../passwords/password-attempts';
import { PasswordHasher } from '../passwords/password-hasher';
import { OperatorHandler } from './operator.handler';
import { OperatorService } from './operator.service';

@Module({
  controllers: [OperatorHandler],
  providers: [OperatorService, AccountsRepository, PasswordHasher, PasswordAttempts],
})
export class OperatorModule {}
