import { type DynamicModule, Module } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics';
import { type NatsAccess, NATS_CONNECTION_OPTIONS, NatsConnectionService } from './nats-connection';
import { RpcClient } from './rpc-client';

export interface RpcClientOptions {
  access: NatsAccess;
  name: string;
  subjectPrefix: string;
  timeoutMs: number;
  /** Parse answers by their contract: on unless NODE_ENV=production. */
  checkAnswers: boolean;
}

@Module({})
export class RpcClientModule {
  static forRoot(options: RpcClientOptions): DynamicModule {
    return {
      module: RpcClientModule,
      global: true,
      providers: [
        { provide: NATS_CONNECTION_OPTIONS, useValue: { ...options.access, name: options.name } },
        NatsConnectionService,
        {
          provide: RpcClient,
          inject: [NatsConnectionService, MetricsService],
          useFactory: (nats: NatsConnectionService, metrics: MetricsService) =>
            new RpcClient(() => nats.connection(), options.subjectPrefix, options.timeoutMs, {
              observe: (subject, outcome, s) => metrics.rpcClientDuration.observe({ subject, outcome }, s),
              checkAnswers: options.checkAnswers,
            }),
        },
      ],
      exports: [NatsConnectionService, RpcClient],
    };
  }
}
