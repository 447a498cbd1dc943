import { type RequestMeta } from '@twofold/platform';
import { type FastifyRequest } from 'fastify';

/** A user agent is kept to this many characters (it lands in audit entries and e-mails). */
const USER_AGENT_MAX = 512;
const ACCEPT_LANGUAGE_MAX = 256;

/** Handed to every RPC explicitly, not through an AsyncLocalStorage, which makes every promise pay a hook. */
export function requestMetaOf(req: FastifyRequest): RequestMeta {
  const userAgent = req.headers['user-agent'];
  const acceptLanguage = req.headers['accept-language'];
  return {
    requestId: req.id,
    ip: req.ip || null,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, USER_AGENT_MAX) : null,
    acceptLanguage: typeof acceptLanguage === 'string' ? acceptLanguage.slice(0, ACCEPT_LANGUAGE_MAX) : null,
  };
}
