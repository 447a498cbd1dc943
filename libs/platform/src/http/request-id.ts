import { randomUUID } from 'node:crypto';
import { type IncomingHttpHeaders } from 'node:http';
import { REQUEST_META_HEADERS } from '../logging/request-context';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Fastify's request-id generator: a caller's X-Request-Id is kept when it is a plain token
 * (a load balancer's id then runs through every log line); otherwise a UUID is made. Access
 * log, handlers, NATS headers and jobs all use this one id.
 */
export function requestIdOf(req: { headers: IncomingHttpHeaders }): string {
  const incoming = req.headers[REQUEST_META_HEADERS.requestId];
  return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
}
