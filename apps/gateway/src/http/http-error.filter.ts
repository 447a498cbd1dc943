import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import { DomainError, type ErrorPayload } from '@twofold/contracts';
import { unexpectedError } from '@twofold/platform';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { KeystoneErrorFilter } from '../keystone/keystone-errors';
import { PinoLogger } from 'nestjs-pino';
import { codeOfHttpStatus, HTTP_STATUS_OF } from './error-status';

interface FrameworkError {
  statusCode: number;
  code?: string;
}

const FRAMEWORK_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'The request body must be JSON (Content-Type: application/json).',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is too large.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty; a JSON object was expected.',
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON.',
};

/** Anything unexpected is a 500 with an errorId that is also in the log line. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(
    private readonly logger: PinoLogger,
    private readonly keystone: KeystoneErrorFilter,
  ) {
    this.logger.setContext(HttpErrorFilter.name);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    // Failures before routing (a body that is not JSON) reach this global filter; /identity wants Keystone's body.
    if (host.switchToHttp().getRequest<FastifyRequest>().url.startsWith('/identity')) {
      this.keystone.catch(exception, host);
      return;
    }
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const payload = this.toPayload(exception, host.switchToHttp().getRequest<FastifyRequest>().id);
    if (payload.retryAfterSeconds) void reply.header('retry-after', String(payload.retryAfterSeconds));
    void reply.status(HTTP_STATUS_OF[payload.code]).send({ error: payload });
  }

  private toPayload(exception: unknown, reqId: string): ErrorPayload {
    if (exception instanceof DomainError) {
      if (exception.code === 'service_unavailable')
        this.logger.warn({ reqId, code: exception.code }, exception.message);
      return exception.toPayload();
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status < 500) {
        const code = codeOfHttpStatus(status);
        const message = code === 'not_found' ? 'No such resource.' : exception.message;
        return { code, message };
      }
    }
    if (isFrameworkError(exception) && exception.statusCode < 500) {
      return {
        code: codeOfHttpStatus(exception.statusCode),
        message: FRAMEWORK_MESSAGES[exception.code ?? ''] ?? 'The request could not be read.',
      };
    }
    return unexpectedError(this.logger, exception, reqId).toPayload();
  }
}

function isFrameworkError(value: unknown): value is FrameworkError {
  return (
    typeof value === 'object' && value !== null && typeof (value as FrameworkError).statusCode === 'number'
  );
}
