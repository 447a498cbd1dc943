import { Body, Param, type PipeTransform } from '@nestjs/common';
import { parseInput } from '@twofold/contracts';
import { type z } from 'zod';

class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    return parseInput(this.schema, value ?? {});
  }
}

/** The request body, parsed by a contract schema; an invalid body is a 400 that names each field. */
export const ZodBody = (schema: z.ZodType): ParameterDecorator => Body(new ZodPipe(schema));

/** A path parameter, parsed by a schema; an invalid one is a 400 naming it. */
export const ZodParam = (name: string, schema: z.ZodType): ParameterDecorator =>
  Param(name, new ZodPipe(schema));
