import { applyDecorators, Controller } from '@nestjs/common';
import { type RpcDefinition } from '@twofold/contracts';
import { type z } from 'zod';
import { type RequestMeta } from '../logging/request-context';

export type RpcGroup = Readonly<Record<string, RpcDefinition>>;

/** A handler takes the request as its schema parsed it and answers what the response schema accepts. */
export type RpcHandlerOf<D extends RpcDefinition> = (
  request: z.output<D['request']>,
  meta: RequestMeta,
) => Promise<z.input<D['response']>> | z.input<D['response']>;

export type RpcHandlers<G extends RpcGroup> = { [K in keyof G]: RpcHandlerOf<G[K]> };

const BINDING = Symbol('rpc-binding');

export interface RpcBinding {
  readonly [BINDING]: true;
  readonly handlers: readonly { definition: RpcDefinition; handle: RpcHandlerOf<RpcDefinition> }[];
}

/**
 * Handlers of a contract group, by its keys: `readonly rpc = bindRpc(OtpRpc, { status: (r) => … })`.
 * Their parameter and answer types come from the schemas; a key of no contract does not compile.
 */
export function bindRpc<G extends RpcGroup, H extends Partial<RpcHandlers<G>>>(
  group: G,
  handlers: H & Record<Exclude<keyof H, keyof G>, never>,
): RpcBinding {
  return {
    [BINDING]: true,
    handlers: Object.entries(handlers).map(([key, handle]) => {
      const definition = group[key];
      if (!definition) throw new Error(`bindRpc: ${key} is no call of this contract group`);
      return { definition, handle: handle as RpcHandlerOf<RpcDefinition> };
    }),
  };
}

export const isRpcBinding = (value: unknown): value is RpcBinding =>
  typeof value === 'object' && value !== null && BINDING in value;

/** A Nest controller without HTTP routes, so Nest injects it; its RpcBinding properties are served. */
export const RpcController = (): ClassDecorator => applyDecorators(Controller());
