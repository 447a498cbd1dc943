import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';

type Env = Record<string, string>;

/** `${VAR:-default}` values resolve to their default. */
export function composeEnvironment(rootDir: string, service: string): Env {
  const compose = parseYaml(readFileSync(join(rootDir, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, { environment?: Record<string, string | number> }>;
  };
  const environment = compose.services[service]?.environment;
  if (!environment) throw new Error(`docker-compose.yml has no environment for ${service}`);
  return Object.fromEntries(
    Object.entries(environment).map(([k, v]) => [k, String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')]),
  );
}

export function kubernetesEnvironment(rootDir: string, deployment: string, secrets: Env = {}): Env {
  const docs = (file: string) =>
    parseAllDocuments(readFileSync(join(rootDir, 'deploy', 'k8s', file), 'utf8')).map(
      (d) => d.toJS() as K8sObject,
    );
  const configMaps = new Map(
    docs('config.yaml')
      .filter((d) => d.kind === 'ConfigMap')
      .map((d) => [d.metadata.name, d.data ?? {}]),
  );
  const found = docs(`${deployment}.yaml`).find((d) => d.kind === 'Deployment');
  const container = found?.spec?.template?.spec?.containers?.[0];
  if (!container) throw new Error(`deploy/k8s/${deployment}.yaml has no Deployment container`);
  const env: Env = {};
  for (const ref of container.envFrom ?? [])
    Object.assign(env, configMaps.get(ref.configMapRef?.name ?? '') ?? {});
  for (const entry of container.env ?? [])
    // Values held in Secrets are not in the manifests: the caller gives stand-ins for them.
    env[entry.name] = entry.value ?? secrets[entry.name] ?? '';
  return env;
}

interface K8sObject {
  kind: string;
  metadata: { name: string };
  data?: Env;
  spec?: {
    template?: {
      spec?: {
        containers?: {
          env?: { name: string; value?: string }[];
          envFrom?: { configMapRef?: { name: string } }[];
        }[];
      };
    };
  };
}

export function deploymentEnvironments(rootDir: string, service: string, secrets: Env = {}): [string, Env][] {
  return [
    ['docker-compose.yml', composeEnvironment(rootDir, service)],
    [
      'deploy/k8s',
      kubernetesEnvironment(rootDir, service, {
        DATABASE_URL: 'postgres://from-secret@db:5432/twofold',
        ...secrets,
      }),
    ],
  ];
}

/** What an operator could set but not read about in the README's configuration table. */
export function undocumentedVariables(rootDir: string, names: readonly string[]): string[] {
  const readme = readFileSync(join(rootDir, 'README.md'), 'utf8');
  const documented = new Set(
    readme
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1])),
  );
  return names.filter((name) => !documented.has(name));
}
