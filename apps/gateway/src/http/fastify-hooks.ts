import { runWithRequestMeta } from '@twofold/platform';
import { type FastifyInstance } from 'fastify';

/**
 * JSON bodies with Fastify's own parser (prototype-poisoning protection), except that an empty
 * body is no body: many HTTP clients send `Content-Type: application/json` on a bodiless DELETE
 * or logout, and a route that takes no body must not refuse them. A route that needs a body
 * still answers 400 naming the missing fields.
 */
export function acceptEmptyJsonBodies(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    void parseJson(req, text, done);
  });
}

/** Answers of the API may carry a token, a secret or recovery codes: no cache keeps them. */
export function noStoreForApiAnswers(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (req, reply, payload, done) => {
    const path = req.url;
    if ((path.startsWith('/api/v1') || path.startsWith('/identity')) && !reply.hasHeader('cache-control')) {
      void reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  });
}

/**
 * Makes the request's id, client IP and user agent the context of everything its handler does
 * (RPC calls carry them in NATS headers, security events record them). A hook, not a Nest
 * interceptor: Nest's interceptor chain cost a tenth of the gateway's time per request.
 */
export function requestMetaContext(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (req, _reply, done) => {
    const userAgent = req.headers['user-agent'];
    runWithRequestMeta(
      {
        requestId: req.id,
        ip: req.ip || null,
        userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : null,
      },
      done,
    );
  });
}
