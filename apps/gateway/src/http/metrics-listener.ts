import { createServer, type Server } from 'node:http';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { MetricsService } from '@twofold/platform';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';

/**
 * Prometheus /metrics of the gateway on its own port (GATEWAY_METRICS_PORT), never on the public
 * one: route names, error rates and timings are for operators, not for the internet.
 */
@Injectable()
export class MetricsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsListener.name);
  private server: Server | undefined;

  constructor(
    private readonly metrics: MetricsService,
    @Inject(GATEWAY_CONFIG)
    private readonly config: Pick<GatewayConfig, 'GATEWAY_METRICS_PORT' | 'BIND_ADDRESS'>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: this port serves /metrics.\n');
        return;
      }
      this.metrics.registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(body),
        (error: unknown) => {
          this.logger.error({ err: error }, 'Could not collect the metrics');
          res.writeHead(500).end();
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.GATEWAY_METRICS_PORT, this.config.BIND_ADDRESS, resolve);
    });
    this.server = server;
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
