import { Module } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AuditRepository } from '../audit/audit.repository';
import { LinkTokensRepository } from '../links/link-tokens.repository';
import { PolicyModule } from '../policy/policy.module';
import { Mailer } from './mail/mailer';
import { QueueMetrics } from './queue-metrics';
import { SecurityEventsProcessor } from './security-events.processor';
import { WebhookModule } from './webhook/webhook.module';

@Module({
  imports: [PolicyModule, WebhookModule],
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
