import { type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { REDACT_PATHS } from './redaction';

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** Structured JSON logs with a request id on every line and secrets censored. */
export function createLoggingModule(options: { service: string; level: string }): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      level: options.level,
      base: { service: options.service },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
      // Child loggers bind only `reqId`, not the whole request.
      quietReqLogger: true,
      customAttributeKeys: { reqId: 'reqId' },
      // Middleware sees a mount-relative url; originalUrl is the path the client asked for.
      autoLogging: { ignore: (req) => QUIET_PATHS.has(pathOf(req)) },
      // Log method and path only: bodies and query strings may hold codes or tokens.
      serializers: {
        req: (req: { method: string; url: string; raw?: { originalUrl?: string } }) => ({
          method: req.method,
          path: (req.raw?.originalUrl ?? req.url).split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  });
}

function pathOf(req: { url?: string; originalUrl?: string }): string {
  return (req.originalUrl ?? req.url ?? '').split('?')[0] ?? '';
}
