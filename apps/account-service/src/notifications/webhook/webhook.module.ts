import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { SECURITY_EVENTS_WEBHOOK_QUEUE, SecurityEventsWebhook } from './security-events-webhook';
import { SecurityEventsWebhookProcessor } from './security-events-webhook.processor';

@Module({
  imports: [BullModule.registerQueue({ name: SECURITY_EVENTS_WEBHOOK_QUEUE })],
  providers: [SecurityEventsWebhook, SecurityEventsWebhookProcessor],
  exports: [SecurityEventsWebhook, BullModule],
})
export class WebhookModule {}
