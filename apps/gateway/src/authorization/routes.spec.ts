import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { HTTP_ROUTES } from '@twofold/contracts';
import { POLICY } from './authorize.decorator';

type Controller = abstract new (...args: never[]) => unknown;

/** Every controller file of the gateway, found by name so that a new one cannot be missed. */
function controllerFiles(dir = join(__dirname, '..')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return controllerFiles(path);
    return entry.name.endsWith('.controller.ts') ? [path] : [];
  });
}

function controllers(): Controller[] {
  return controllerFiles()
    .map((file) => jest.requireActual<Record<string, unknown>>(file))
    .flatMap((exports) =>
      Object.values(exports).filter(
        (value): value is Controller =>
          typeof value === 'function' && Reflect.getMetadata(PATH_METADATA, value) !== undefined,
      ),
    );
}

const joinPath = (...parts: string[]) =>
  `/${parts
    .flatMap((part) => part.split('/'))
    .filter(Boolean)
    .join('/')}`;

/** The routes as the gateway maps them, with the policy each one declares (or none). */
function mappedRoutes() {
  return controllers().flatMap((controller) => {
    const prefix = Reflect.getMetadata(PATH_METADATA, controller) as string;
    const classPolicy = Reflect.getMetadata(POLICY, controller) as string | undefined;
    const prototype = controller.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(prototype)
      .map((name) => prototype[name])
      .filter((handler) => Reflect.getMetadata(METHOD_METADATA, handler as object) !== undefined)
      .map((handler) => ({
        body: bodySchemaOf(controller, (handler as { name: string }).name),
        method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler as object) as number],
        path: joinPath(prefix, Reflect.getMetadata(PATH_METADATA, handler as object) as string),
        policy: (Reflect.getMetadata(POLICY, handler as object) as string | undefined) ?? classPolicy,
      }));
  });
}

/** The schema a handler's @ZodBody parses its body with (Nest keeps the pipe in the route metadata). */
function bodySchemaOf(controller: Controller, method: string): unknown {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
    string,
    { pipes?: { schema?: unknown }[] }
  >;
  const body = Object.entries(args).find(([key]) => key.startsWith(`${RouteParamtypes.BODY}:`));
  return body?.[1].pipes?.[0]?.schema;
}

const key = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

describe('the route table of the public contract', () => {
  const mapped = mappedRoutes();

  it('lists exactly the routes the gateway maps', () => {
    expect(mapped.map(key).sort()).toEqual(HTTP_ROUTES.map(key).sort());
  });

  it('protects every route with the policy the table names, and the public ones with none', () => {
    const declared = Object.fromEntries(mapped.map((route) => [key(route), route.policy ?? 'none']));
    for (const route of HTTP_ROUTES) {
      const expected = route.access === 'public' || route.access === 'keystone' ? 'none' : route.access;
      expect(`${key(route)} → ${declared[key(route)]}`).toBe(`${key(route)} → ${expected}`);
    }
  });

  it('documents the very schema each REST route parses its body with', () => {
    const parsedWith = new Map(mapped.map((route) => [key(route), route.body]));
    // The Keystone routes parse Keystone's own bodies, which its API reference documents.
    for (const route of HTTP_ROUTES.filter((r) => r.access !== 'keystone')) {
      expect([key(route), parsedWith.get(key(route))]).toEqual([key(route), route.body]);
    }
  });
});
