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
