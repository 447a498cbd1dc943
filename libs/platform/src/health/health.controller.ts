import { Controller, Get, Res } from '@nestjs/common';
import { type FastifyReply } from 'fastify';
import { HealthService } from './health.service';

/** Liveness (the process answers) and readiness (its dependencies answer). */
@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('healthz')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    const report = await this.health.report();
    void reply.status(report.ready ? 200 : 503);
    return { status: report.ready ? 'ok' : 'unavailable', ...report };
  }
}
