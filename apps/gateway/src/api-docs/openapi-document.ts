import {
  ACCESS_POLICIES,
  type AccessPolicyName,
  HTTP_ROUTES,
  type HttpRoute,
  isKeystoneRoute,
  isPolicy,
  httpErrorSchema,
  type SessionKind,
} from '@twofold/contracts';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/** The contract's zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), as sent or as answered. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const converted = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  delete converted.$schema; // the document's dialect already is 2020-12
  return converted;
}

const SESSION_WORDS: Record<SessionKind, string> = {
  restricted: 'a restricted session (2FA required by the account, not yet enrolled)',
  password: 'a password session',
  second_factor: 'a session signed in with the second factor',
};

/** Who may call a protected route, in words (the same table the gateway enforces). */
export function describeAccess(policy: AccessPolicyName): string {
  const { roles, sessions } = ACCESS_POLICIES[policy];
  const stepUp = (ACCESS_POLICIES[policy] as { stepUp?: true }).stepUp;
  const who = roles === 'any' ? 'Any member' : `Members with the role ${roles.join(' or ')}`;
  const fresh = stepUp
    ? ' A sensitive change: the caller’s strongest factor proven on this session lately, else 403 `step_up_required` (POST /api/v1/auth/step-up).'
    : '';
  return `${who}, from ${sessions.map((kind) => SESSION_WORDS[kind]).join(', or ')}.${fresh}`;
}

const ERROR = { $ref: '#/components/schemas/Error' };
const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ERROR } },
});

function operation(route: HttpRoute): JsonSchema {
  const parameters: JsonSchema[] = [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string', format: 'uuid' },
  }));
  if (route.query instanceof z.ZodObject) {
    const query = jsonSchema(route.query, 'input') as {
      properties?: Record<string, JsonSchema>;
      required?: string[];
    };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
    }
  }
  const responses: Record<string, unknown> = {
    [route.response.status]: route.response.body
      ? {
          description: 'Success',
          content: { 'application/json': { schema: jsonSchema(route.response.body, 'output') } },
        }
      : { description: 'Success, no content' },
  };
  if (route.body || route.query || parameters.length > 0)
    responses['400'] = errorResponse('Invalid input: `details` names each field');
  const isProtected = isPolicy(route.access);
  if (isProtected) {
    responses['401'] = errorResponse('No valid session token');
    responses['403'] = errorResponse(
      'The role or the kind of session does not allow this (`code` says which)',
    );
  }
  responses.default = errorResponse('Any other error: see `code`');

  return {
    summary: route.summary,
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
    tags: [route.path.split('/')[3] ?? 'api'],
    ...(isProtected
      ? {
          description: describeAccess(route.access as AccessPolicyName),
          security: [{ bearer: [] }],
          'x-twofold-access': { policy: route.access, ...ACCESS_POLICIES[route.access as AccessPolicyName] },
        }
      : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of the REST API, made from the contract's route table and schemas —
 * the very schemas the gateway validates with, so the document cannot drift from the code.
 * The Keystone-compatible API under /identity is Keystone's; its reference is linked instead.
 */
export function openApiDocument(version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of HTTP_ROUTES) {
    if (isKeystoneRoute(route) || route.path === '/api/docs') continue;
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Twofold REST API',
      version,
      description:
        'Two-factor (TOTP) sign-in: accounts and members, sessions, 2FA enrolment and recovery codes, team management and the audit log. Errors are `{"error":{"code","message"}}`; 429 answers carry `Retry-After`.',
    },
    servers: [{ url: '/' }],
    externalDocs: {
      description:
        'The Keystone-compatible Identity API under /identity follows the OpenStack Identity v3 reference',
      url: 'https://docs.openstack.org/api-ref/identity/v3/',
    },
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'The token of POST /api/v1/auth/login or /auth/mfa (X-Auth-Token is accepted too)',
        },
      },
      schemas: { Error: jsonSchema(httpErrorSchema, 'output') },
    },
  };
}
