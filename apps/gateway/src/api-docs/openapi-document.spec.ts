import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { HTTP_ROUTES, isKeystoneRoute, PASSWORD_MIN_LENGTH } from '@twofold/contracts';
import { describeAccess, openApiDocument } from './openapi-document';

type Operation = {
  security?: unknown[];
  description?: string;
  requestBody?: {
    content: Record<string, { schema: { required?: string[]; properties: Record<string, any> } }>;
  };
  parameters?: { name: string; in: string }[];
  responses: Record<string, unknown>;
};

describe(openApiDocument.name, () => {
  const document = openApiDocument('1.0.0') as { paths: Record<string, Record<string, Operation>> };
  const operationOf = (method: string, path: string) =>
    document.paths[path.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
  const restRoutes = HTTP_ROUTES.filter((route) => !isKeystoneRoute(route) && route.path !== '/api/docs');

  it('is a valid OpenAPI 3.1 document', () => {
    // The validator is ESM-only, which Jest on Node 20 cannot load: its CLI runs in plain Node.
    const file = join(mkdtempSync(join(tmpdir(), 'twofold-openapi-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const cli = join(
      dirname(require.resolve('@seriousme/openapi-schema-validator')),
      'bin',
      'validate-api-cli.js',
    );
    const result = JSON.parse(execFileSync(process.execPath, [cli, file], { encoding: 'utf8' })) as {
      valid: boolean;
      errors?: unknown[];
    };

    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents every REST route, and nothing else', () => {
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );

    expect(documented.sort()).toEqual(
      restRoutes.map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`).sort(),
    );
  });

  it('asks for a bearer token, and says who may call, exactly on the protected routes', () => {
    for (const route of restRoutes) {
      const operation = operationOf(route.method, route.path);
      if (route.access === 'public') {
        expect(operation?.security).toBeUndefined();
      } else {
        expect(operation?.security).toEqual([{ bearer: [] }]);
        expect(operation?.description).toBe(describeAccess(route.access as never));
      }
    }
  });

  it('describes bodies with the contract’s rules (required fields, limits, no extra fields)', () => {
    const signUp = operationOf('POST', '/api/v1/accounts')?.requestBody?.content['application/json']?.schema;

    expect(signUp?.required?.sort()).toEqual(['accountName', 'email', 'login', 'password']);
    expect(signUp?.properties.password.minLength).toBe(PASSWORD_MIN_LENGTH);
    expect(signUp).toMatchObject({ additionalProperties: false });
  });

  it('names path and query parameters', () => {
    expect(operationOf('DELETE', '/api/v1/account/members/:id')?.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path' }),
    ]);
    expect(operationOf('GET', '/api/v1/account/audit-events')?.parameters?.map((p) => p.name)).toEqual([
      'limit',
      'cursor',
    ]);
  });

  it('words the access rules for people', () => {
    expect(describeAccess('selfWithSecondFactor')).toBe(
      'Any member, from a session signed in with the second factor.',
    );
  });
});
