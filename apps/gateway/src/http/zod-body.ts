import { Body, type PipeTransform } from '@nestjs/common';
import { validationError } from '@twofold/contracts';
import { type z } from 'zod';

class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(value ?? {});
    if (!result.success) throw validationError(result.error, 'request body');
    return result.data;
  }
}

/** The request body, parsed by a contract schema; an invalid body is a 400 that names each field. */
export const ZodBody = (schema: z.ZodType): ParameterDecorator => Body(new ZodPipe(schema));
