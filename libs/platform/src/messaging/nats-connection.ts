import { readFileSync } from 'node:fs';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type ConnectionOptions, connect, Events, type NatsConnection, nkeyAuthenticator } from 'nats';
import { PinoLogger } from 'nestjs-pino';

export interface NatsAccess {
  url: string;
  user?: string | undefined;
  password?: string | undefined;
  nkeySeedFile?: string | undefined;
  tlsCaFile?: string | undefined;
}

export interface NatsConnectionOptions extends NatsAccess {
  name: string;
}

export const natsAccessOf = (env: {
  NATS_URL: string;
  NATS_USER?: string | undefined;
  NATS_PASSWORD?: string | undefined;
  NATS_NKEY_SEED_FILE?: string | undefined;
  NATS_TLS_CA_FILE?: string | undefined;
}): NatsAccess => ({
  url: env.NATS_URL,
  user: env.NATS_USER,
  password: env.NATS_PASSWORD,
  nkeySeedFile: env.NATS_NKEY_SEED_FILE,
  tlsCaFile: env.NATS_TLS_CA_FILE,
});

/** Reconnects forever to the survivors of a cluster; no async stack traces (costly per request). */
export function natsConnectOptions(options: NatsConnectionOptions): ConnectionOptions {
  return {
    noAsyncTraces: true,
    servers: options.url.split(',').map((server) => server.trim()),
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    ...(options.user ? { user: options.user, pass: options.password ?? '' } : {}),
    ...(options.nkeySeedFile
      ? {
          authenticator: nkeyAuthenticator(
            new TextEncoder().encode(readFileSync(options.nkeySeedFile, 'utf8').trim()),
          ),
        }
      : {}),
    ...(options.tlsCaFile ? { tls: { caFile: options.tlsCaFile } } : {}),
  };
}

export const NATS_CONNECTION_OPTIONS = Symbol('NATS_CONNECTION_OPTIONS');

/** Connects at module start, so start-up fails if NATS is not there. */
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
    this.nc = await connect(natsConnectOptions(this.options));
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
