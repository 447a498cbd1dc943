import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { type ApiResponse } from './support';

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/**
 * Checks answers against the OpenAPI document the gateway serves at /api/docs: the status must
 * be documented for the operation (or covered by `default`), and the body must match its schema.
 */
export class OpenApiContract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });

  constructor(private readonly document: { paths: Record<string, Record<string, { responses: object }>> }) {
    addFormats(this.ajv);
    this.ajv.addSchema(document, 'openapi.json');
  }

  /** What is wrong with this answer of `method path` (`path` as the contract writes it, `:id` included). */
  violations(method: string, path: string, res: Pick<ApiResponse, 'status' | 'body'>): string[] {
    const docPath = path.replace(/:(\w+)/g, '{$1}');
    const operation = this.document.paths[docPath]?.[method.toLowerCase()];
    if (!operation) return [`${method} ${path} is not documented`];
    const responses = operation.responses as Record<string, { content?: object }>;
    const status = String(res.status) in responses ? String(res.status) : 'default';
    const documented = responses[status];
    if (!documented || (status === 'default' && res.status < 400)) {
      return [`${method} ${path} answered ${res.status}, which is not documented`];
    }
    if (!documented.content) {
      return res.body === undefined ? [] : [`${method} ${path} ${res.status} has a body but documents none`];
    }
    const validate = this.ajv.getSchema(
      `openapi.json#/${pointer('paths', docPath, method.toLowerCase(), 'responses', status, 'content', 'application/json', 'schema')}`,
    );
    if (!validate) return [`${method} ${path} ${status}: no schema`];
    return validate(res.body)
      ? []
      : (validate.errors ?? []).map(
          (e) => `${method} ${path} ${res.status}: ${e.instancePath || '/'} ${e.message}`,
        );
  }
}
