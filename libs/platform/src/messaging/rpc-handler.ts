import { applyDecorators, Controller, SetMetadata } from '@nestjs/common';
import { type RpcDefinition } from '@twofold/contracts';
import { RPC_DEFINITION } from './rpc-server';

/** Declares a NATS request handler for a contract call (RpcServer subscribes it). */
export const RpcHandler = (definition: RpcDefinition): MethodDecorator =>
  applyDecorators(SetMetadata(RPC_DEFINITION, definition));

/**
 * Marks the handler's parameter that receives the payload, already parsed by the call's
 * request schema (an invalid one is answered validation_failed before the handler runs).
 */
export const RpcPayload =
  (definition: RpcDefinition): ParameterDecorator =>
  (target, key, index) => {
    if (index !== 0) throw new Error(`@RpcPayload(${definition.subject}) must mark the first parameter`);
    void target;
    void key;
  };

/**
 * Marks the handler's parameter that receives its caller's RequestMeta (request id, client IP,
 * user agent), always the second: what security events and address-bound limits record.
 */
export const RpcMeta = (): ParameterDecorator => (target, key, index) => {
  if (index !== 1) throw new Error('@RpcMeta() must mark the second parameter');
  void target;
  void key;
};

/** A class of NATS handlers (a Nest controller without HTTP routes, so Nest injects it). */
export const RpcController = (): ClassDecorator => applyDecorators(Controller());
