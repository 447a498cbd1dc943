import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type RequestMeta } from '@twofold/platform';
import { type FastifyRequest } from 'fastify';

/** A user agent is kept to this many characters (it lands in audit entries and e-mails). */
const USER_AGENT_MAX = 512;

/**
 * Who asked: the request's id, the client's address and user agent. The gateway hands it to
 * every RPC call a request makes (NATS headers; the services' security events record it) —
 * explicitly, not through an AsyncLocalStorage: on Node 20 an active one makes every promise of
 * the process pay a hook, and the gateway is the process that makes the most promises.
 */
export function requestMetaOf(req: FastifyRequest): RequestMeta {
  const userAgent = req.headers['user-agent'];
  return {
    requestId: req.id,
    ip: req.ip || null,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, USER_AGENT_MAX) : null,
  };
}

/** The request's meta, as a handler parameter. */
export const Meta = createParamDecorator((_data: unknown, context: ExecutionContext): RequestMeta =>
  requestMetaOf(context.switchToHttp().getRequest<FastifyRequest>()),
);
