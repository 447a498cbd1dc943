import { Global, Module } from '@nestjs/common';
import { MetricsService, NATS_CONNECTION_OPTIONS, NatsConnectionService, RpcClient } from '@twofold/platform';
import { ACCOUNT_CONFIG, type AccountConfig } from '../config/account-config';

/**
 * account-service's own calls to other services (whether a member has 2FA, for its reminders):
 * one outgoing NATS connection, beside the one its handlers listen on.
 */
@Global()
@Module({
  providers: [
    {
      provide: NATS_CONNECTION_OPTIONS,
      inject: [ACCOUNT_CONFIG],
      useFactory: (config: AccountConfig) => ({ url: config.NATS_URL, name: 'account-service-client' }),
    },
    NatsConnectionService,
    {
      provide: RpcClient,
      inject: [NatsConnectionService, ACCOUNT_CONFIG, MetricsService],
      useFactory: (nats: NatsConnectionService, config: AccountConfig, metrics: MetricsService) =>
        new RpcClient(
          () => nats.connection(),
          config.NATS_SUBJECT_PREFIX,
          config.RPC_TIMEOUT_MS,
          (subject, outcome, s) => metrics.rpcClientDuration.observe({ subject, outcome }, s),
        ),
    },
  ],
  exports: [RpcClient],
})
export class RpcModule {}
