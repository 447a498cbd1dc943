import { randomUUID } from 'node:crypto';
import { type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { REQUEST_META_HEADERS } from './request-context';
import { REDACT_PATHS } from './redaction';

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

/** Structured JSON logs with a request id on every line and secrets censored. */
export function createLoggingModule(options: { service: string; level: string }): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      level: options.level,
      base: { service: options.service },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
      // Accept a caller's request id only if it is a plain token; otherwise make one.
      genReqId: (req, res) => {
        const incoming = req.headers[REQUEST_META_HEADERS.requestId];
        const id = typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
        res.setHeader(REQUEST_META_HEADERS.requestId, id);
        return id;
      },
      // Child loggers bind only `reqId`, not the whole request.
      quietReqLogger: true,
      customAttributeKeys: { reqId: 'reqId' },
      autoLogging: { ignore: (req) => QUIET_PATHS.has((req.url ?? '').split('?')[0] ?? '') },
      // Log method and path only: bodies and query strings may hold codes or tokens.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  });
}
