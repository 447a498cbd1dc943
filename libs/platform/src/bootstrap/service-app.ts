import { type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { type CommonEnv } from '../config/load-config';
import { requestIdOf } from '../http/request-id';
import { natsAccessOf } from '../messaging/nats-connection';
import { type RpcGroup } from '../messaging/rpc-handler';
import { RpcServer } from '../messaging/rpc-server';
import { redisProbeUrl, redisTargetOf } from '../redis/redis';
import { checkDependencies } from './preflight';
import { boundShutdown } from './run-main';

export interface ServiceAppOptions {
  /** Every instance joins it, so each request reaches one. */
  queueGroup: string;
  httpPort: number;
  env: CommonEnv & { DATABASE_URL: string };
  /** The contract groups whose calls this service answers (see RpcServer.listen). */
  serves: readonly RpcGroup[];
}

export async function startService(
  module: Type | object,
  options: ServiceAppOptions,
): Promise<INestApplication> {
  await checkDependencies([
    { name: 'PostgreSQL', url: options.env.DATABASE_URL },
    { name: 'Redis', url: redisProbeUrl(redisTargetOf(options.env)) },
    { name: 'NATS', url: options.env.NATS_URL },
  ]);
  return startServiceApp(module, options);
}

/** On SIGTERM: close the listener, let requests in hand finish, then drain NATS and the rest. */
export async function startServiceApp(
  module: Type | object,
  options: ServiceAppOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create(module as Type, new FastifyAdapter({ genReqId: requestIdOf }), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  boundShutdown(options.queueGroup);
  await app.init();
  await app.get(RpcServer).listen({
    access: natsAccessOf(options.env),
    subjectPrefix: options.env.NATS_SUBJECT_PREFIX,
    queue: options.queueGroup,
    serves: options.serves,
  });
  await app.listen(options.httpPort, options.env.BIND_ADDRESS);
  return app;
}
