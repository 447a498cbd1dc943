import { applyDecorators, Controller, SetMetadata } from '@nestjs/common';
import { type RpcDefinition } from '@twofold/contracts';
import { RPC_DEFINITION } from './rpc-server';

export const RpcHandler = (definition: RpcDefinition): MethodDecorator =>
  applyDecorators(SetMetadata(RPC_DEFINITION, definition));

/** Already parsed: an invalid payload is answered validation_failed before the handler runs. */
export const RpcPayload =
  (definition: RpcDefinition): ParameterDecorator =>
  (target, key, index) => {
    if (index !== 0) throw new Error(`@RpcPayload(${definition.subject}) must mark the first parameter`);
    void target;
    void key;
  };

export const RpcMeta = (): ParameterDecorator => (target, key, index) => {
  if (index !== 1) throw new Error('@RpcMeta() must mark the second parameter');
  void target;
  void key;
};

/** A Nest controller without HTTP routes, so Nest injects it. */
export const RpcController = (): ClassDecorator => applyDecorators(Controller());
