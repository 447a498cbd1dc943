import { Global, Module } from '@nestjs/common';
import { MetricsService, NATS_CONNECTION_OPTIONS, NatsConnectionService, RpcClient } from '@twofold/platform';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';

/** The gateway's one NATS connection and the typed client every module calls services with. */
@Global()
@Module({
  providers: [
    {
      provide: NATS_CONNECTION_OPTIONS,
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig) => ({ url: config.NATS_URL, name: 'gateway' }),
    },
    NatsConnectionService,
    {
      provide: RpcClient,
      inject: [NatsConnectionService, GATEWAY_CONFIG, MetricsService],
      useFactory: (nats: NatsConnectionService, config: GatewayConfig, metrics: MetricsService) =>
        new RpcClient(
          () => nats.connection(),
          config.NATS_SUBJECT_PREFIX,
          config.RPC_TIMEOUT_MS,
          (subject, outcome, s) => metrics.rpcClientDuration.observe({ subject, outcome }, s),
        ),
    },
  ],
  exports: [NatsConnectionService, RpcClient],
})
export class RpcModule {}
