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
  /** The service's health subject, which the gateway's readiness asks. */
  health: RpcDefinition;
  /** Apply pending migrations at start (else only check that none is pending). */
  migrateOnStart: boolean;
  /** TEST_CRASH_BEFORE_RELAYING (see SecurityEventOutbox), only ever set under NODE_ENV=test. */
  crashBeforeRelaying?: string | undefined;
}

/**
 * What every back-end service stands on: logs, probes and metrics, its own schema (migrated
 * at start), the security-events queue, its health subject and the clock.
 */
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
          // A schema behind the code, or an unreachable database, stops the start (the supervisor,
          // or Kubernetes, starts it again) instead of retrying inside it.
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
