import { type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loggedError, REDACT_PATHS } from './redaction';

/** A line about a request carries its `reqId`, written by the code that logs it. */
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
    },
  });
}
