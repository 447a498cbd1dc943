import { type DynamicModule, Module } from '@nestjs/common';
import { HealthController } from './health/health.controller';
import { HealthService } from './health/health.service';
import { MetricsController, MetricsService } from './metrics/metrics';

/** /healthz, /readyz and /metrics for a process; other modules register their readiness checks. */
@Module({})
export class ObservabilityModule {
  static forRoot(service: string): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      controllers: [HealthController, MetricsController],
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
