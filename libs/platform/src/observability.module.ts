import { type DynamicModule, Module } from '@nestjs/common';
import { HealthController } from './health/health.controller';
import { HealthService } from './health/health.service';
import { MetricsController, MetricsService } from './metrics/metrics';

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
      ],
      exports: [HealthService, MetricsService],
    };
  }
}
