import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { SECURITY_EVENTS_QUEUE } from '@twofold/contracts';
import { type Cluster } from 'ioredis';
import { BullMQOtel } from 'bullmq-otel';
import { tracingOn } from '../tracing/tracing';
import { OUTBOX_OPTIONS, type OutboxOptions, SecurityEventOutbox } from './security-event.outbox';
import { SecurityEventPublisher } from './security-event.publisher';
import { closeRedis, createRedisCluster, type RedisTarget } from '../redis/redis';

const QUEUE_CLUSTER = Symbol('QUEUE_CLUSTER');

/** Closes the cluster client BullMQ was given (BullMQ leaves a client it did not make open). */
@Injectable()
class QueueClusterLifecycle implements OnApplicationShutdown {
  constructor(@Inject(QUEUE_CLUSTER) private readonly cluster: Cluster | undefined) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.cluster) await closeRedis(this.cluster);
  }
}

/**
 * The queues' key prefix: hash-tagged, so that every key of every queue is in one slot of a
 * Redis Cluster (BullMQ's scripts touch several keys of a queue at once).
 */
export const queuePrefixOf = (keyPrefix: string): string => `{${keyPrefix}bull}`;

/** BullMQ on Redis with the `security-events` queue, and a publisher for it. */
@Module({})
export class SecurityEventsModule {
  static forRoot(options: { redis: RedisTarget; keyPrefix: string; outbox?: OutboxOptions }): DynamicModule {
    // Workers block on Redis: BullMQ requires maxRetriesPerRequest null on its connections.
    const cluster =
      options.redis.clusterNodes.length > 0
        ? createRedisCluster(options.redis, {
            connectionName: 'bullmq',
            maxRetriesPerRequest: null,
            connectTimeout: 2000,
            offlineQueue: true,
          })
        : undefined;
    return {
      module: SecurityEventsModule,
      global: true,
      imports: [
        BullModule.forRoot({
          connection: cluster ?? { url: options.redis.url, maxRetriesPerRequest: null },
          prefix: queuePrefixOf(options.keyPrefix),
          // Jobs carry the producer's trace; workers continue it.
          ...(tracingOn ? { telemetry: new BullMQOtel({ tracerName: 'twofold' }) } : {}),
        }),
        BullModule.registerQueue({ name: SECURITY_EVENTS_QUEUE }),
      ],
      providers: [
        SecurityEventPublisher,
        SecurityEventOutbox,
        { provide: OUTBOX_OPTIONS, useValue: options.outbox ?? {} },
        { provide: QUEUE_CLUSTER, useValue: cluster },
        QueueClusterLifecycle,
      ],
      exports: [SecurityEventPublisher, SecurityEventOutbox, BullModule],
    };
  }
}
