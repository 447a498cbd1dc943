import { InjectQueue } from '@nestjs/bullmq';
import { type OnModuleInit, type Type } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type RpcDefinition, SECURITY_EVENTS_QUEUE } from '@twofold/contracts';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { bindRpc, RpcController } from '../messaging/rpc-handler';
import { HealthService } from './health.service';

/**
 * The readiness of a service that owns a schema and produces security events: PostgreSQL and
 * Redis (through the queue's own connection), answered on /readyz and on the service's health
 * subject (which the gateway asks).
 */
export function createServiceHealthHandler(definition: RpcDefinition): Type<OnModuleInit> {
  const group = { health: definition };
  @RpcController()
  class ServiceHealthHandler implements OnModuleInit {
    constructor(
      private readonly health: HealthService,
      @InjectDataSource() private readonly db: DataSource,
      @InjectQueue(SECURITY_EVENTS_QUEUE) private readonly queue: Queue,
    ) {}

    onModuleInit(): void {
      this.health.register('postgres', async () => (await this.db.query('SELECT 1')) !== undefined);
      this.health.register('redis', async () => (await this.queue.getJobCountByTypes('waiting')) >= 0);
    }

    readonly rpc = bindRpc(group, { health: () => this.health.report() });
  }
  return ServiceHealthHandler;
}
