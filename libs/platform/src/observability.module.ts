import { type DynamicModule, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { HealthController } from './health/health.controller';
import { HealthService } from './health/health.service';
import { MetricsController, MetricsService } from './metrics/metrics';
import { stopTracing } from './tracing/tracing';

/** The spans still buffered go out as the process stops. */
@Injectable()
class TracingShutdown implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return stopTracing();
  }
}

/**
 * /healthz, /readyz and /metrics for a process; other modules register their readiness checks.
 * A process whose HTTP port is public (the gateway) serves /metrics elsewhere: `metricsRoute: false`.
 */
@Module({})
export class ObservabilityModule {
  static forRoot(service: string, options: { metricsRoute?: boolean } = {}): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      controllers:
        options.metricsRoute === false ? [HealthController] : [HealthController, MetricsController],
      providers: [
        {
          provide: HealthService,
          useFactory: () => {
            const health = new HealthService();
            health.setService(service);
            return health;
          },
        },
        MetricsService,
        TracingShutdown,
      ],
      exports: [HealthService, MetricsService],
    };
  }
}
