import {
  type DynamicModule,
  Injectable,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { Redis } from 'ioredis';
import { HealthService } from '../health/health.service';
import { closeRedis, createRedisClient, type RedisTarget } from './redis';

export interface RedisModuleOptions {
  target: RedisTarget;
  keyPrefix: string;
  connectionName: string;
}

const REDIS_OPTIONS = Symbol('REDIS_OPTIONS');

/** Connects at start (failing start-up if Redis is absent), reports readiness, quits on shutdown. */
@Injectable()
class RedisLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly redis: Redis,
    private readonly health: HealthService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.redis.connect();
    this.health.register('redis', async () => (await this.redis.ping()) === 'PONG');
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.redis);
  }
}

/** The process's Redis client (the `Redis` class is the injection token), keys under a prefix. */
@Module({})
export class RedisModule {
  static forRoot(options: RedisModuleOptions): DynamicModule {
    return {
      module: RedisModule,
      global: true,
      providers: [
        { provide: REDIS_OPTIONS, useValue: options },
        {
          provide: Redis,
          inject: [REDIS_OPTIONS],
          useFactory: (o: RedisModuleOptions) => createRedisClient(o.target, o.keyPrefix, o.connectionName),
        },
        RedisLifecycle,
      ],
      exports: [Redis],
    };
  }
}
