import { type DynamicModule, Module } from '@nestjs/common';
import { AccountRpc } from '@twofold/contracts';
import {
  RedisModule,
  redisTargetOf,
  natsAccessOf,
  RpcClientModule,
  SecurityStamps,
  ServiceCoreModule,
} from '@twofold/platform';
import { AccountsModule } from './accounts/accounts.module';
import { ApplicationCredentialsModule } from './application-credentials/application-credentials.module';
import { AuditModule } from './audit/audit.module';
import { EmailModule } from './email/email.module';
import { InvitationsModule } from './invitations/invitations.module';
import { LanguageModule } from './language/language.module';
import { LinksModule } from './links/links.module';
import { MembersModule } from './members/members.module';
import { NotMeModule } from './not-me/not-me.module';
import { NotificationsModule } from './notifications/notifications.module';
import { OperatorModule } from './operator/operator.module';
import { PasswordResetModule } from './password-reset/password-reset.module';
import { PolicyModule } from './policy/policy.module';
import { SessionsModule } from './sessions/sessions.module';
import { ACCOUNT_CONFIG, type AccountConfig } from './config/account-config';
import { accountDataSourceOptions } from './database';

export const SERVICE_NAME = 'account-service';

@Module({})
export class AppModule {
  static forRoot(config: AccountConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        ServiceCoreModule.forRoot({
          service: SERVICE_NAME,
          migrateOnStart: config.DATABASE_MIGRATE_ON_START,
          crashBeforeRelaying: config.TEST_CRASH_BEFORE_RELAYING,
          env: config,
          dataSource: accountDataSourceOptions(config),
          health: AccountRpc.health,
        }),
        // Security stamps and the password attempt counters, shared by every instance.
        RedisModule.forRoot({
          target: redisTargetOf(config),
          keyPrefix: config.REDIS_KEY_PREFIX,
          connectionName: SERVICE_NAME,
        }),
        RpcClientModule.forRoot({
          access: natsAccessOf(config),
          name: 'account-service-client',
          subjectPrefix: config.NATS_SUBJECT_PREFIX,
          timeoutMs: config.RPC_TIMEOUT_MS,
          checkAnswers: config.NODE_ENV !== 'production',
        }),
        AccountsModule,
        EmailModule,
        InvitationsModule,
        LanguageModule,
        MembersModule,
        AuditModule,
        PolicyModule,
        NotificationsModule,
        OperatorModule,
        ApplicationCredentialsModule,
        PasswordResetModule,
        NotMeModule,
        SessionsModule,
        LinksModule,
      ],
      providers: [{ provide: ACCOUNT_CONFIG, useValue: config }, SecurityStamps],
      exports: [ACCOUNT_CONFIG, SecurityStamps],
    };
  }
}
