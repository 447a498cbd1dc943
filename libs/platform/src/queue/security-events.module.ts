import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { SECURITY_EVENTS_QUEUE } from '@twofold/contracts';
import { OUTBOX_OPTIONS, type OutboxOptions, SecurityEventOutbox } from './security-event.outbox';
import { SecurityEventPublisher } from './security-event.publisher';

/** BullMQ on Redis with the `security-events` queue, and a publisher for it. */
@Module({})
export class SecurityEventsModule {
  static forRoot(options: { redisUrl: string; keyPrefix: string; outbox?: OutboxOptions }): DynamicModule {
    return {
      module: SecurityEventsModule,
      global: true,
      imports: [
        // Workers block on Redis: BullMQ requires maxRetriesPerRequest null on its connections.
        BullModule.forRoot({
          connection: { url: options.redisUrl, maxRetriesPerRequest: null },
          prefix: `${options.keyPrefix}bull`,
        }),
        BullModule.registerQueue({ name: SECURITY_EVENTS_QUEUE }),
      ],
      providers: [
        SecurityEventPublisher,
        SecurityEventOutbox,
        { provide: OUTBOX_OPTIONS, useValue: options.outbox ?? {} },
      ],
      exports: [SecurityEventPublisher, SecurityEventOutbox, BullModule],
    };
  }
}
