import { Module } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { PasswordAttempts } from '../passwords/password-attempts';
import { PasswordHasher } from '../passwords/password-hasher';
import { OperatorHandler } from './operator.handler';
import { MemberChanges } from '../accounts/member-changes';
import { OperatorService } from './operator.service';
import { WebhookModule } from '../notifications/webhook/webhook.module';

@Module({
  imports: [WebhookModule],
  controllers: [OperatorHandler],
  providers: [OperatorService, AccountsRepository, MemberChanges, PasswordHasher, PasswordAttempts],
})
export class OperatorModule {}
