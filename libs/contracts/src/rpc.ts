import { type z } from 'zod';

/**
 * A request/reply call over NATS: its subject (versioned, never renamed) and the schemas of
 * both directions. The service parses requests with `request`; callers get `response` types.
 */
export interface RpcDefinition<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly subject: string;
  readonly request: Req;
  readonly response: Res;
}

export function defineRpc<Req extends z.ZodType, Res extends z.ZodType>(
  subject: string,
  request: Req,
  response: Res,
): RpcDefinition<Req, Res> {
  return { subject, request, response };
}

export type RpcRequest<D extends RpcDefinition> = z.input<D['request']>;
export type RpcResponse<D extends RpcDefinition> = z.output<D['response']>;
