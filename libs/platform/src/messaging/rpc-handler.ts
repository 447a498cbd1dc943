import { randomUUID } from 'node:crypto';
import {
  applyDecorators,
  Controller,
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  type PipeTransform,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { MessagePattern, type NatsContext, Payload } from '@nestjs/microservices';
import { DomainError, type RpcDefinition, validationError } from '@twofold/contracts';
import { type MsgHdrs } from 'nats';
import { Observable, tap } from 'rxjs';
import { MetricsService } from '../metrics/metrics';
import { type z } from 'zod';
import { REQUEST_META_HEADERS, runInRequest } from '../logging/request-context';
import { RpcErrorFilter } from './rpc-exception.filter';

class RpcPayloadPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(value);
    if (!result.success) throw validationError(result.error);
    return result.data;
  }
}

/** Declares a NATS request handler for a contract call. */
export const RpcHandler = (definition: RpcDefinition): MethodDecorator =>
  applyDecorators(MessagePattern(definition.subject));

/** The handler's payload, parsed by the call's request schema (invalid → validation_failed). */
export const RpcPayload = (definition: RpcDefinition): ParameterDecorator =>
  Payload(new RpcPayloadPipe(definition.request));

/**
 * Restores the caller's request meta (NATS headers) for the handler, its logs and its events,
 * and counts the request by subject and outcome.
 */
@Injectable()
export class RpcRequestIdInterceptor implements NestInterceptor {
  constructor(private readonly metrics: MetricsService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const nats = context.switchToRpc().getContext<NatsContext>();
    const subject = nats.getSubject();
    const count = (outcome: string): void => {
      this.metrics.rpcHandled.inc({ subject, outcome });
    };
    const headers = nats.getHeaders() as MsgHdrs | undefined;
    const meta = {
      requestId: headers?.get(REQUEST_META_HEADERS.requestId) || randomUUID(),
      ip: headers?.get(REQUEST_META_HEADERS.ip) || null,
      userAgent: headers?.get(REQUEST_META_HEADERS.userAgent) || null,
    };
    return new Observable((subscriber) =>
      runInRequest(meta, () =>
        next
          .handle()
          .pipe(
            tap({
              next: () => count('ok'),
              error: (error: unknown) => count(error instanceof DomainError ? error.code : 'error'),
            }),
          )
          .subscribe(subscriber),
      ),
    );
  }
}

/**
 * A class of NATS handlers: errors become typed NATS error replies and the caller's request
 * meta is restored for every handler.
 */
export const RpcController = (): ClassDecorator =>
  applyDecorators(Controller(), UseFilters(RpcErrorFilter), UseInterceptors(RpcRequestIdInterceptor));
