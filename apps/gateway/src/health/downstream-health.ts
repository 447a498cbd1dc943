import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AccountRpc, OtpRpc } from '@twofold/contracts';
import { HealthService, NatsConnectionService, RpcClient } from '@twofold/platform';

const PROBE_TIMEOUT_MS = 1000;

/**
 * The gateway is ready when it can reach NATS and Redis and when each service it calls has at
 * least one instance that reports itself ready.
 */
@Injectable()
export class DownstreamHealth implements OnModuleInit {
  constructor(
    private readonly health: HealthService,
    private readonly nats: NatsConnectionService,
    private readonly rpc: RpcClient,
  ) {}

  onModuleInit(): void {
    this.health.register('nats', () => Promise.resolve(this.nats.isConnected()));
    this.health.register(
      'account-service',
      async () => (await this.rpc.call(AccountRpc.health, {}, { timeoutMs: PROBE_TIMEOUT_MS })).ready,
    );
    this.health.register(
      'otp-service',
      async () => (await this.rpc.call(OtpRpc.health, {}, { timeoutMs: PROBE_TIMEOUT_MS })).ready,
    );
  }
}
