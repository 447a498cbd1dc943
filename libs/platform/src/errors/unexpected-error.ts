import { randomUUID } from 'node:crypto';
import { DomainError } from '@twofold/contracts';
import { type PinoLogger } from 'nestjs-pino';

/** The one 500: logged under an errorId the caller can quote; nothing of the error itself is answered. */
export function unexpectedError(
  logger: PinoLogger,
  error: unknown,
  reqId: string,
  what = 'Unhandled error while handling a request',
): DomainError {
  const errorId = randomUUID();
  logger.error({ err: error, errorId, reqId }, what);
  return new DomainError('internal', `An unexpected error occurred (errorId ${errorId}).`, { errorId });
}
