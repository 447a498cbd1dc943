import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import {
  Clock,
  createLoggingModule,
  ObservabilityModule,
  RedisModule,
  redisTargetOf,
  natsAccessOf,
  RpcClientModule,
  SystemClock,
} from '@twofold/platform';
import { AccountsModule } from './accounts/accounts.module';
import { ApplicationCredentialsModule } from './application-credentials/application-credentials.module';
import { ApiDocsModule } from './api-docs/api-docs.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { GATEWAY_CONFIG, type GatewayConfig } from './config/gateway-config';
import { DownstreamHealth } from './health/downstream-health';
import { HttpErrorFilter } from './http/http-error.filter';
import { MetricsListener } from './http/metrics-listener';
import { KeystoneErrorFilter } from './keystone/keystone-errors';
import { KeystoneModule } from './keystone/keystone.module';
import { MeModule } from './me/me.module';
import { MembersModule } from './members/members.module';
import { NotMeModule } from './not-me/not-me.module';
import { PasskeysModule } from './passkeys/passkeys.module';
import { PasswordResetModule } from './password-reset/password-reset.module';
import { PolicyModule } from './policy/policy.module';
import { SessionsModule } from './sessions/sessions.module';
import { SignInModule } from './sign-in/sign-in.module';
import { TwoFactorModule } from './two-factor/two-factor.module';

export const SERVICE_NAME = 'gateway';

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        createLoggingModule({ service: SERVICE_NAME, level: config.LOG_LEVEL }),
        ObservabilityModule.forRoot(SERVICE_NAME, { metricsRoute: false }),
        RedisModule.forRoot({
          target: redisTargetOf(config),
          keyPrefix: config.REDIS_KEY_PREFIX,
          connectionName: SERVICE_NAME,
        }),
        RpcClientModule.forRoot({
          access: natsAccessOf(config),
          name: 'gateway',
          subjectPrefix: config.NATS_SUBJECT_PREFIX,
          timeoutMs: config.RPC_TIMEOUT_MS,
          checkAnswers: config.NODE_ENV !== 'production',
        }),
        SessionsModule,
        SignInModule,
        AccountsModule,
        AuthModule,
        PasswordResetModule,
        NotMeModule,
        MeModule,
        TwoFactorModule,
        PasskeysModule,
        KeystoneModule,
        MembersModule,
        ApplicationCredentialsModule,
        AuditModule,
        PolicyModule,
        ApiDocsModule,
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: Clock, useClass: SystemClock },
        KeystoneErrorFilter,
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        DownstreamHealth,
        MetricsListener,
      ],
      exports: [GATEWAY_CONFIG, Clock],
    };
  }
}
