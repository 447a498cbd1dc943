import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type RpcDefinition } from '@twofold/contracts';
import { type DataSourceOptions } from 'typeorm';
import { Clock, SystemClock } from '../clock';
import { type CommonEnv, ConfigError } from '../config/load-config';
import { createServiceHealthHandler } from '../health/service-health.handler';
import { createLoggingModule } from '../logging/logging.module';
import { ObservabilityModule } from '../observability.module';
import { initializeServiceDataSource } from '../persistence/data-source';
import { RpcServer } from '../messaging/rpc-server';
import { SecurityEventsModule } from '../queue/security-events.module';
import { redisTargetOf } from '../redis/redis';

export interface ServiceCoreOptions {
  service: string;
  env: CommonEnv;
  dataSource: DataSourceOptions;
  health: RpcDefinition;
  migrateOnStart: boolean;
  crashBeforeRelaying?: string | undefined;
}

@Module({})
export class ServiceCoreModule {
  static forRoot(options: ServiceCoreOptions): DynamicModule {
    if (options.crashBeforeRelaying && options.env.NODE_ENV !== 'test') {
      throw new ConfigError(['TEST_CRASH_BEFORE_RELAYING: is a test hook, refused unless NODE_ENV=test']);
    }
    return {
      module: ServiceCoreModule,
      global: true,
      imports: [
        DiscoveryModule,
        createLoggingModule({ service: options.service, level: options.env.LOG_LEVEL }),
        ObservabilityModule.forRoot(options.service),
        TypeOrmModule.forRootAsync({
          // Fail the start rather than retry inside it: the supervisor (or Kubernetes) starts it again.
          useFactory: () => ({ ...options.dataSource, retryAttempts: 0 }),
          dataSourceFactory: (dataSource) =>
            initializeServiceDataSource(dataSource!, options.migrateOnStart ? 'migrate' : 'verify'),
        }),
        SecurityEventsModule.forRoot({
          redis: redisTargetOf(options.env),
          keyPrefix: options.env.REDIS_KEY_PREFIX,
          outbox: { crashBeforeRelaying: options.crashBeforeRelaying },
        }),
      ],
      controllers: [createServiceHealthHandler(options.health)],
      providers: [{ provide: Clock, useClass: SystemClock }, RpcServer],
      exports: [Clock, RpcServer],
    };
  }
}
