import { Controller, Get, Header, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** The process's Prometheus registry and the metrics every process shares. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'twofold_http_request_duration_seconds',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly rpcClientDuration = new Histogram({
    name: 'twofold_rpc_client_duration_seconds',
    help: 'Outgoing NATS requests by subject and outcome (ok or an error code)',
    labelNames: ['subject', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  readonly rpcHandled = new Counter({
    name: 'twofold_rpc_handled_total',
    help: 'Incoming NATS requests by subject and outcome',
    labelNames: ['subject', 'outcome'] as const,
    registers: [this.registry],
  });

  /** Once per event, where account-service records it in the audit log: replays, locks, clones… */
  readonly securityEvents = new Counter({
    name: 'twofold_security_events_recorded_total',
    help: 'Security events recorded in the audit log, by type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}

@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
