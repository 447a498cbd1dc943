import { type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loggedError, REDACT_PATHS } from './redaction';
import { currentRequestMeta } from './request-context';

/**
 * Structured JSON logs with secrets censored. Lines about a request name it (`reqId`): the gateway
 * and the RPC server write it into the lines they log, and in a service that keeps the implicit
 * request context (account-service) every line written while a request is handled carries it,
 * taken from the context when the line is written — so a request that logs nothing costs nothing
 * (no child logger, no per-request middleware). The gateway writes one line per answered request
 * from a Fastify hook (`logAnsweredRequests`).
 */
export function createLoggingModule(options: { service: string; level: string }): DynamicModule {
  return LoggerModule.forRoot({
    // nestjs-pino's pino-http middleware would make a child logger for every request: none here.
    forRoutes: [],
    pinoHttp: {
      level: options.level,
      base: { service: options.service },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: loggedError },
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
      mixin: () => {
        const meta = currentRequestMeta();
        return meta ? { reqId: meta.requestId } : {};
      },
    },
  });
}
