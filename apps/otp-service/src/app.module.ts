import { type DynamicModule, Module } from '@nestjs/common';
import { OtpRpc } from '@twofold/contracts';
import {
  natsAccessOf,
  RedisModule,
  redisTargetOf,
  RpcClientModule,
  SecurityStamps,
  ServiceCoreModule,
} from '@twofold/platform';
import { PasskeysModule } from './passkeys/passkeys.module';
import { OTP_CONFIG, type OtpConfig } from './config/otp-config';
import { otpDataSourceOptions } from './database';
import { EnrollmentModule } from './enrollment/enrollment.module';
import { OperatorModule } from './operator/operator.module';
import { TwoFactorModule } from './two-factor/two-factor.module';
import { VerificationModule } from './verification/verification.module';

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
          migrateOnStart: config.DATABASE_MIGRATE_ON_START,
          crashBeforeRelaying: config.TEST_CRASH_BEFORE_RELAYING,
          env: config,
          dataSource: otpDataSourceOptions(config),
          health: OtpRpc.health,
        }),
        // Replay windows and attempt counters, shared by every instance of the service.
        RedisModule.forRoot({
          target: redisTargetOf(config),
          keyPrefix: config.REDIS_KEY_PREFIX,
          connectionName: SERVICE_NAME,
        }),
        // Only to hand account-service the audit of second factors, in batches.
        RpcClientModule.forRoot({
          access: natsAccessOf(config),
          name: 'otp-service-client',
          subjectPrefix: config.NATS_SUBJECT_PREFIX,
          timeoutMs: config.RPC_TIMEOUT_MS,
          checkAnswers: config.NODE_ENV !== 'production',
        }),
        EnrollmentModule,
        VerificationModule,
        TwoFactorModule,
        OperatorModule,
        PasskeysModule,
      ],
      providers: [{ provide: OTP_CONFIG, useValue: config }, SecurityStamps],
      exports: [OTP_CONFIG, SecurityStamps],
    };
  }
}
