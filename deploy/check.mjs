// Checks the deploy files offline, as CI does (npm run deploy:check): renders the Kubernetes
// manifests with kustomize (`kubectl kustomize`), validates every object against the Kubernetes
// API schemas (kubernetes-models), and lints every YAML file with yamllint. Without kubectl or
// yamllint (Debian: kubernetes-client, yamllint; .ci/run installs them) it says so and skips —
// except under CI, where a missing tool is a failure.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (line) => process.stdout.write(`${line}\n`);
const problems = [];
const missing = [];

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8' });
  if (result.error?.code === 'ENOENT') {
    missing.push(command);
    return undefined;
  }
  return result;
}

const rendered = run('kubectl', ['kustomize', 'deploy/k8s']);
if (rendered && rendered.status !== 0)
  problems.push(`kubectl kustomize deploy/k8s failed:\n${rendered.stderr}`);
if (rendered?.status === 0) {
  const objects = parseAllDocuments(rendered.stdout).map((doc) => doc.toJS());
  for (const object of objects) {
    const where = `${object.kind}/${object.metadata?.name}`;
    const [group, version] = object.apiVersion.includes('/')
      ? object.apiVersion.split('/')
      : ['', object.apiVersion];
    let models;
    try {
      models = await import(`kubernetes-models/${group ? `${group}/` : ''}${version}`);
    } catch {
      problems.push(`${where}: unknown apiVersion ${object.apiVersion}`);
      continue;
    }
    const Model = models[object.kind];
    if (!Model) {
      problems.push(`${where}: unknown kind in ${object.apiVersion}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push(`${where}: ${error.message}`);
    }
  }
  if (problems.length === 0) say(`deploy/k8s: ${objects.length} objects rendered and valid`);
}

const linted = run('yamllint', ['--strict', 'deploy', 'docker-compose.yml']);
if (linted && linted.status !== 0) problems.push(`yamllint:\n${linted.stdout}${linted.stderr}`);
if (linted?.status === 0) say('yamllint: deploy/ and docker-compose.yml are clean');

if (missing.length > 0) {
  const line = `Not found: ${missing.join(', ')} (Debian: apt-get install kubernetes-client yamllint)`;
  if (process.env.CI) problems.push(line);
  else say(`${line}: those checks are skipped`);
}
if (problems.length > 0) {
  process.stderr.write(`${problems.join('\n')}\n`);
  process.exit(1);
}
