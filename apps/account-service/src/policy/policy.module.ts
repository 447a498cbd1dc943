import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TWO_FACTOR_REMINDERS_QUEUE } from '@twofold/contracts';
import { AccountsRepository } from '../accounts/accounts.repository';
import { PolicyHandler } from './policy.handler';
import { ApplicationCredentialsRepository } from '../application-credentials/application-credentials.repository';
import { PolicyService } from './policy.service';
import { TwoFactorReminders } from './two-factor-reminders';
import { TwoFactorRemindersProcessor } from './two-factor-reminders.processor';

@Module({
  imports: [BullModule.registerQueue({ name: TWO_FACTOR_REMINDERS_QUEUE })],
  controllers: [PolicyHandler],
  providers: [
    PolicyService,
    AccountsRepository,
    ApplicationCredentialsRepository,
    TwoFactorReminders,
    TwoFactorRemindersProcessor,
  ],
  exports: [PolicyService],
})
export class PolicyModule {}
