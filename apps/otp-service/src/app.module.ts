import { type DynamicModule, Module } from '@nestjs/common';
import { OtpRpc } from '@twofold/contracts';
import { ServiceCoreModule } from '@twofold/platform';
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
        ServiceCoreModule.forRoot({
          service: SERVICE_NAME,
          env: config,
          dataSource: otpDataSourceOptions(config),
          health: OtpRpc.health,
        }),
        CredentialsModule,
      ],
      providers: [{ provide: OTP_CONFIG, useValue: config }],
      exports: [OTP_CONFIG],
    };
  }
}
