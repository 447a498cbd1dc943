import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OtpRpc } from '@twofold/contracts';
import {
  createLoggingModule,
  createServiceHealthHandler,
  initializeServiceDataSource,
  SystemClock,
  Clock,
  ObservabilityModule,
  SecurityEventsModule,
} from '@twofold/platform';
import { CredentialsModule } from './credentials/credentials.module';
import { OTP_CONFIG, type OtpConfig } from './config/otp-config';
import { otpDataSourceOptions } from './database';

export const SERVICE_NAME = 'otp-service';

@Module({})
export class AppModule {
  static forRoot(config: OtpConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        createLoggingModule({ service: SERVICE_NAME, level: config.LOG_LEVEL }),
        ObservabilityModule.forRoot(SERVICE_NAME),
        TypeOrmModule.forRootAsync({
          useFactory: () => otpDataSourceOptions(config),
          dataSourceFactory: (options) => initializeServiceDataSource(options!),
        }),
        SecurityEventsModule.forRoot({ redisUrl: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX }),
        CredentialsModule,
      ],
      controllers: [createServiceHealthHandler(OtpRpc.health)],
      providers: [
        { provide: OTP_CONFIG, useValue: config },
        { provide: Clock, useClass: SystemClock },
      ],
      exports: [OTP_CONFIG, Clock],
    };
  }
}
