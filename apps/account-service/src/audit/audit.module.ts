import { Module } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AuditHandler } from './audit.handler';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { WebhookModule } from '../notifications/webhook/webhook.module';

@Module({
  imports: [WebhookModule],
  controllers: [AuditHandler],
  providers: [AuditService, AuditRepository, AccountsRepository],
})
export class AuditModule {}
