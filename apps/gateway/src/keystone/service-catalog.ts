import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** Keystone's per-token placeholders: `%(project_id)s`, and the older `$(…)s` and `tenant_id` spellings. */
const PLACEHOLDER = /[%$]\((\w+)\)s/g;
const KNOWN_PLACEHOLDERS = new Set(['project_id', 'tenant_id']);

const endpointUrlSchema = z
  .string()
  .trim()
  .refine(
    (url) => [...url.matchAll(PLACEHOLDER)].every((m) => KNOWN_PLACEHOLDERS.has(m[1])),
    'may contain only the %(project_id)s (or %(tenant_id)s) placeholder',
  )
  .refine((url) => {
    try {
      return ['http:', 'https:'].includes(new URL(url.replace(PLACEHOLDER, 'x')).protocol);
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL');

const endpointSchema = z
  .object({
    interface: z.enum(['public', 'internal', 'admin'], 'must be public, internal or admin'),
    /** Keystone spells it region (older) or region_id; either is taken. */
    region: z.string().trim().min(1).max(64).optional(),
    region_id: z.string().trim().min(1).max(64).optional(),
    url: endpointUrlSchema,
  })
  .strict();

const serviceSchema = z
  .object({
    type: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .refine((t) => t !== 'identity', 'identity is Twofold itself: it is always in the catalog'),
    name: z.string().trim().min(1).max(64),
    endpoints: z.array(endpointSchema).min(1, 'must list at least one endpoint'),
  })
  .strict();

export const serviceCatalogSchema = z.array(serviceSchema);

export interface CatalogService {
  type: string;
  name: string;
  endpoints: { interface: 'public' | 'internal' | 'admin'; region?: string; url: string }[];
}

/** Errors say what is wrong and where, never the file's other contents. */
export function readServiceCatalog(path: string): CatalogService[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`cannot read the file ${path}`);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new Error(`${path} is not YAML or JSON (${(error as Error).message.split('\n')[0]})`, {
      cause: error,
    });
  }
  const parsed = serviceCatalogSchema.safeParse(data ?? []);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'the catalog';
    throw new Error(`${path}: ${where} ${issue.message}`);
  }
  return parsed.data.map((service) => ({
    type: service.type,
    name: service.name,
    endpoints: service.endpoints.map((e) => {
      const region = e.region_id ?? e.region;
      return { interface: e.interface, url: e.url, ...(region ? { region } : {}) };
    }),
  }));
}

export const endpointUrlFor = (url: string, projectId: string): string =>
  url.replace(PLACEHOLDER, () => projectId);
