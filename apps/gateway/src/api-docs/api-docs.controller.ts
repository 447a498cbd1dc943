import { Controller, Header } from '@nestjs/common';
import { ROUTES } from '@twofold/contracts';
import { Route, type RouteHandlers } from '../http/route';
import { openApiDocument } from './openapi-document';

const API_VERSION = '1.0.0';
const R = ROUTES.apiDocs;

@Controller()
export class ApiDocsController implements RouteHandlers<typeof R> {
  private readonly document = openApiDocument(API_VERSION);

  /** The OpenAPI 3.1 document of the REST API (import it into Swagger UI, Postman, a client generator). */
  @Route(R.get)
  @Header('cache-control', 'no-cache')
  get() {
    return this.document;
  }
}
