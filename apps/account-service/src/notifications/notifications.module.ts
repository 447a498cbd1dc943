import { Module } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AuditRepository } from '../audit/audit.repository';
import { LinkTokensRepository } from '../links/link-tokens.repository';
import { Mailer } from './mail/mailer';
import { QueueMetrics } from './queue-metrics';
import { SecurityEventsProcessor } from './security-events.processor';

@Module({
  providers: [
    SecurityEventsProcessor,
    AuditRepository,
    AccountsRepository,
    LinkTokensRepository,
    Mailer,
    QueueMetrics,
  ],
})
export class NotificationsModule {}
