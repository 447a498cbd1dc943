import { Processor, WorkerHost } from '@nestjs/bullmq';
import { SECURITY_EVENTS_QUEUE, securityEventSchema } from '@twofold/contracts';
import { type Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { AuditRepository } from '../audit/audit.repository';

/**
 * Consumes `security-events`: each event becomes one audit entry (idempotent by event id, so
 * retries and duplicates add nothing). E-mail delivery joins here with the notifications work.
 */
@Processor(SECURITY_EVENTS_QUEUE, { concurrency: 8 })
export class SecurityEventsProcessor extends WorkerHost {
  constructor(
    private readonly audit: AuditRepository,
    private readonly logger: PinoLogger,
  ) {
    super();
    this.logger.setContext(SecurityEventsProcessor.name);
  }

  async process(job: Job<unknown>): Promise<{ recorded: boolean }> {
    const event = securityEventSchema.parse(job.data);
    const recorded = await this.audit.recordOnce(event);
    this.logger.info(
      { eventId: event.eventId, type: event.type, reqId: event.requestId, recorded },
      'Security event processed',
    );
    return { recorded };
  }
}
