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
  parseInput,
  type RouteBody,
  type RouteParams,
  type RouteQuery,
  type RouteResult,
} from '@twofold/contracts';
import { type RequestMeta } from '@twofold/platform';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { AuthorizationGuard, POLICY } from '../authorization/authorization.guard';
import { type Authenticated, SessionGuard } from '../sessions/session.guard';
import { requestMetaOf } from './request-meta';

/** What a handler receives: the request already parsed by its route's schemas, after the guards. */
export interface RouteInput<R extends HttpRoute> {
  body: RouteBody<R>;
  params: RouteParams<R>;
  query: RouteQuery<R>;
  meta: RequestMeta;
  auth: R['access'] extends AccessPolicyName ? Authenticated : undefined;
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
      auth: request.auth,
      request,
      reply: http.getResponse<FastifyReply>(),
    } as RouteInput<HttpRoute>;
  },
);

/** Maps a handler to its contract entry: method, path, status, access policy (with step-up) and parsing. */
export function Route<R extends HttpRoute>(entry: R) {
  return (target: object, key: string | symbol, descriptor: { value?: Handler<R> }): void => {
    bound.add(entry);
    const access = entry.access;
    const guarded = access !== 'public' && access !== 'keystone';
    applyDecorators(
      RequestMapping({ method: RequestMethod[entry.method], path: entry.path }),
      HttpCode(entry.response.status),
      ...(guarded ? [SetMetadata(POLICY, access), UseGuards(SessionGuard, AuthorizationGuard)] : []),
    )(target, key, descriptor as TypedPropertyDescriptor<unknown>);
    RouteInputParam(entry)(target, key, 0);
  };
}

/** Checked when the gateway starts: a contract route no controller maps would be a silent 404. */
export function unboundRoutes(): string[] {
  return HTTP_ROUTES.filter((entry) => !bound.has(entry)).map((entry) => `${entry.method} ${entry.path}`);
}
