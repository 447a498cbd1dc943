import { randomUUID } from 'node:crypto';
import { type ArgumentsHost, Catch, type RpcExceptionFilter } from '@nestjs/common';
import { DomainError, type ErrorPayload } from '@twofold/contracts';
import { PinoLogger } from 'nestjs-pino';
import { type Observable, throwError } from 'rxjs';

/**
 * The one place where a service's failures become NATS error replies: domain errors travel as
 * their code and message; anything else is logged with an errorId and reported as `internal`,
 * never with its stack or message (which could hold data).
 */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  constructor(private readonly logger: PinoLogger) {
    this.logger.setContext(RpcErrorFilter.name);
  }

  catch(exception: unknown, _host: ArgumentsHost): Observable<ErrorPayload> {
    if (exception instanceof DomainError) {
      if (exception.code === 'service_unavailable')
        this.logger.warn({ code: exception.code }, exception.message);
      return throwError(() => exception.toPayload());
    }
    const errorId = randomUUID();
    this.logger.error({ err: exception, errorId }, 'Unhandled error while handling a request');
    return throwError(() =>
      new DomainError('internal', `An unexpected error occurred (errorId ${errorId}).`, {
        errorId,
      }).toPayload(),
    );
  }
}
