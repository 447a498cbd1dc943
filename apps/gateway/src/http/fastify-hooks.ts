import { type FastifyInstance } from 'fastify';
import { type PinoLogger } from 'nestjs-pino';
import pino from 'pino';

/** Fastify's own parser (prototype-poisoning guard), but an empty body is none: many clients send one on DELETE. */
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

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** Method and path only: a query string or a body may hold a code or a token. */
export function logAnsweredRequests(
  fastify: FastifyInstance,
  level: string,
  /** The root logger, made when the application starts. */
  logger: () => PinoLogger['logger'],
): void {
  if (!(pino.levels.values[level] <= pino.levels.values.info)) return;
  fastify.addHook('onResponse', (req, reply, done) => {
    const path = req.url.split('?')[0];
    if (!QUIET_PATHS.has(path)) {
      const statusCode = reply.statusCode;
      logger()[statusCode >= 500 ? 'error' : 'info'](
        {
          reqId: req.id,
          req: { method: req.method, path },
          res: { statusCode },
          responseTime: Math.round(reply.elapsedTime),
        },
        statusCode >= 500 ? 'request errored' : 'request completed',
      );
    }
    done();
  });
}
