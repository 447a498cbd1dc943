import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { connect, Events, type NatsConnection } from 'nats';
import { PinoLogger } from 'nestjs-pino';

export interface NatsConnectionOptions {
  url: string;
  name: string;
}

export const NATS_CONNECTION_OPTIONS = Symbol('NATS_CONNECTION_OPTIONS');

/**
 * One NATS connection per process for outgoing requests. Connects when the module starts
 * (failing start-up if NATS is not there), then reconnects forever in the background.
 */
@Injectable()
export class NatsConnectionService implements OnModuleInit, OnApplicationShutdown {
  private nc: NatsConnection | undefined;
  private connected = false;

  constructor(
    @Inject(NATS_CONNECTION_OPTIONS) private readonly options: NatsConnectionOptions,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(NatsConnectionService.name);
  }

  async onModuleInit(): Promise<void> {
    this.nc = await connect({
      // No stack trace captured per request: it cost a twentieth of the gateway's time.
      noAsyncTraces: true,
      servers: this.options.url.split(','),
      name: this.options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    });
    this.connected = true;
    void this.watch(this.nc);
  }

  connection(): NatsConnection {
    if (!this.nc) throw new Error('NATS connection used before the module started');
    return this.nc;
  }

  isConnected(): boolean {
    return this.connected && this.nc !== undefined && !this.nc.isClosed();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.nc && !this.nc.isClosed()) await this.nc.drain();
  }

  private async watch(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === Events.Disconnect) {
        this.connected = false;
        this.logger.warn('Disconnected from NATS; reconnecting');
      } else if (status.type === Events.Reconnect) {
        this.connected = true;
        this.logger.info('Reconnected to NATS');
      }
    }
  }
}
