import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountRpc } from '@twofold/contracts';
import {
  createLoggingModule,
  createServiceHealthHandler,
  initializeServiceDataSource,
  ObservabilityModule,
  SecurityEventsModule,
} from '@twofold/platform';
import { AccountsModule } from './accounts/accounts.module';
import { ACCOUNT_CONFIG, type AccountConfig } from './config/account-config';
import { accountDataSourceOptions } from './database';
import { NotificationsModule } from './notifications/notifications.module';

export const SERVICE_NAME = 'account-service';

@Module({})
export class AppModule {
  static forRoot(config: AccountConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        createLoggingModule({ service: SERVICE_NAME, level: config.LOG_LEVEL }),
        ObservabilityModule.forRoot(SERVICE_NAME),
        TypeOrmModule.forRootAsync({
          useFactory: () => accountDataSourceOptions(config),
          dataSourceFactory: (options) => initializeServiceDataSource(options!),
        }),
        SecurityEventsModule.forRoot({ redisUrl: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX }),
        AccountsModule,
        NotificationsModule,
      ],
      controllers: [createServiceHealthHandler(AccountRpc.health)],
      providers: [{ provide: ACCOUNT_CONFIG, useValue: config }],
      exports: [ACCOUNT_CONFIG],
    };
  }
}
