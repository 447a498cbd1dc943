import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  HttpCode,
  RequestMapping,
  RequestMethod,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import {
  type AccessPolicyName,
  HTTP_ROUTES,
  type HttpRoute,
  isPolicy,
  parseInput,
  type RouteBody,
  type RouteParams,
  type RouteQuery,
  type RouteResult,
} from '@twofold/contracts';
import { type RequestMeta } from '@twofold/platform';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { AuthorizationGuard } from '../authorization/authorization.guard';
import { KeystoneCallerGuard, keystoneCallerOf } from '../keystone/keystone-caller.guard';
import { type KeystoneCaller } from '../keystone/keystone.service';
import { type Authenticated, SessionGuard } from '../sessions/session.guard';
import { requestMetaOf } from './request-meta';
import { ROUTE } from './route-metadata';

/** What a handler receives: the request already parsed by its route's schemas, after the guards. */
export interface RouteInput<R extends HttpRoute> {
  body: RouteBody<R>;
  params: RouteParams<R>;
  query: RouteQuery<R>;
  meta: RequestMeta;
  auth: R['access'] extends AccessPolicyName
    ? Authenticated
    : R['access'] extends 'keystoneToken'
      ? KeystoneCaller
      : undefined;
  request: FastifyRequest;
  reply: FastifyReply;
}

type Handler<R extends HttpRoute> = (input: RouteInput<R>) => Promise<RouteResult<R>> | RouteResult<R>;

/** A controller `implements RouteHandlers<typeof ROUTES.x>`: one method per route, of its shape. */
export type RouteHandlers<G extends Record<string, HttpRoute>> = { [K in keyof G]: Handler<G[K]> };

const bound = new Set<HttpRoute>();

const RouteInputParam = createParamDecorator(
  (entry: HttpRoute, context: ExecutionContext): RouteInput<HttpRoute> => {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { auth?: Authenticated }>();
    const given = (request.params ?? {}) as Record<string, unknown>;
    return {
      params: entry.params
        ? Object.fromEntries(
            Object.entries(entry.params).map(([name, schema]) => [name, parseInput(schema, given[name])]),
          )
        : undefined,
      query: entry.query ? parseInput(entry.query, request.query ?? {}, 'query') : undefined,
      body: entry.body ? parseInput(entry.body, request.body ?? {}) : undefined,
      meta: request.auth?.meta ?? requestMetaOf(request),
      auth: request.auth ?? keystoneCallerOf(request),
      request,
      reply: http.getResponse<FastifyReply>(),
    } as RouteInput<HttpRoute>;
  },
);

/** Maps a handler to its contract entry: method, path, status, access (policy, step-up, Keystone rule) and parsing. */
export function Route<R extends HttpRoute>(entry: R) {
  return (target: object, key: string | symbol, descriptor: { value?: Handler<R> }): void => {
    bound.add(entry);
    const guards = isPolicy(entry.access)
      ? [SessionGuard, AuthorizationGuard]
      : entry.access === 'keystoneToken'
        ? [KeystoneCallerGuard]
        : [];
    applyDecorators(
      RequestMapping({ method: RequestMethod[entry.method], path: entry.path }),
      HttpCode(entry.response.status),
      SetMetadata(ROUTE, entry),
      ...(guards.length > 0 ? [UseGuards(...guards)] : []),
    )(target, key, descriptor as TypedPropertyDescriptor<unknown>);
    RouteInputParam(entry)(target, key, 0);
  };
}

/** Checked when the gateway starts: a contract route no controller maps would be a silent 404. */
export function unboundRoutes(): string[] {
  return HTTP_ROUTES.filter((entry) => !bound.has(entry)).map((entry) => `${entry.method} ${entry.path}`);
}
