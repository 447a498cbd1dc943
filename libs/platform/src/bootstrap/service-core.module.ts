import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type RpcDefinition } from '@twofold/contracts';
import { type DataSourceOptions } from 'typeorm';
import { Clock, SystemClock } from '../clock';
import { type CommonEnv } from '../config/load-config';
import { createServiceHealthHandler } from '../health/service-health.handler';
import { createLoggingModule } from '../logging/logging.module';
import { ObservabilityModule } from '../observability.module';
import { initializeServiceDataSource } from '../persistence/data-source';
import { RpcServer } from '../messaging/rpc-server';
import { SecurityEventsModule } from '../queue/security-events.module';

export interface ServiceCoreOptions {
  service: string;
  env: CommonEnv;
  dataSource: DataSourceOptions;
  /** The service's health subject, which the gateway's readiness asks. */
  health: RpcDefinition;
  /** Apply pending migrations at start (else only check that none is pending). */
  migrateOnStart: boolean;
}

/**
 * What every back-end service stands on: logs, probes and metrics, its own schema (migrated
 * at start), the security-events queue, its health subject and the clock.
 */
@Module({})
export class ServiceCoreModule {
  static forRoot(options: ServiceCoreOptions): DynamicModule {
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
          redisUrl: options.env.REDIS_URL,
          keyPrefix: options.env.REDIS_KEY_PREFIX,
        }),
      ],
      controllers: [createServiceHealthHandler(options.health)],
      providers: [{ provide: Clock, useClass: SystemClock }, RpcServer],
      exports: [Clock, RpcServer],
    };
  }
}
