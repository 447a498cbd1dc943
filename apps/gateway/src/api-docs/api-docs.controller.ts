import { Controller, Get, Header } from '@nestjs/common';
import { openApiDocument } from './openapi-document';

const API_VERSION = '1.0.0';

@Controller('api/docs')
export class ApiDocsController {
  private readonly document = openApiDocument(API_VERSION);

  /** The OpenAPI 3.1 document of the REST API (import it into Swagger UI, Postman, a client generator). */
  @Get()
  @Header('cache-control', 'no-cache')
  get(): Record<string, unknown> {
    return this.document;
  }
}
