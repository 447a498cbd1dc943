import './tracing'; // first: tracing wraps what the rest loads
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  boundShutdown,
  checkDependencies,
  MetricsService,
  redisProbeUrl,
  redisTargetOf,
  REQUEST_META_HEADERS,
  requestIdOf,
  runMain,
} from '@twofold/platform';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppModule, SERVICE_NAME } from './app.module';
import { loadGatewayConfig } from './config/gateway-config';
import { acceptEmptyJsonBodies, logAnsweredRequests, noStoreForApiAnswers } from './http/fastify-hooks';
import { unboundRoutes } from './http/route';
import { serveWebApp } from './web-app/web-app';

const BODY_LIMIT_BYTES = 64 * 1024;

runMain(SERVICE_NAME, async () => {
  const config = loadGatewayConfig();
  await checkDependencies([
    { name: 'Redis', url: redisProbeUrl(redisTargetOf(config)) },
    { name: 'NATS', url: config.NATS_URL },
  ]);
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: requestIdOf,
    // Keystone clients ask for /identity/v3 and /identity/v3/ alike.
    routerOptions: { ignoreTrailingSlash: true },
    // A function, since Fastify 5.12 trusts no one when given a bare hop count (README, Operating it).
    trustProxy:
      config.TRUSTED_PROXY_HOPS > 0
        ? (_address: string, hop: number) => hop < config.TRUSTED_PROXY_HOPS
        : false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: true,
    // Fastify's JSON parser only: Nest would also accept form posts, which need no CORS preflight.
    bodyParser: false,
    cors: config.CORS_ORIGINS.length > 0 ? { origin: config.CORS_ORIGINS, maxAge: 600 } : false,
  });
  const unbound = unboundRoutes();
  if (unbound.length > 0) throw new Error(`Routes of the contract no controller maps: ${unbound.join(', ')}`);
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  boundShutdown(SERVICE_NAME);
  const metrics = app.get(MetricsService);
  const fastify = app.getHttpAdapter().getInstance();
  acceptEmptyJsonBodies(fastify);
  noStoreForApiAnswers(fastify);
  logAnsweredRequests(fastify, config.LOG_LEVEL, () => PinoLogger.root);
  fastify.addHook('onRequest', (req, reply, done) => {
    void reply.header(REQUEST_META_HEADERS.requestId, req.id);
    done();
  });
  fastify.addHook('onResponse', (req, reply, done) => {
    metrics.httpDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
  await serveWebApp(app, config.WEB_APP_DIR, (message) => app.get(Logger).warn(message));
  await app.listen(config.GATEWAY_PORT, config.BIND_ADDRESS);
  app.get(Logger).log(`Gateway listening on http://${config.BIND_ADDRESS}:${config.GATEWAY_PORT}`);
});
