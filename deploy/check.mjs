// Checks the deploy files offline, as CI does (npm run deploy:check): renders the Kubernetes
// manifests with kustomize (`kubectl kustomize`), validates every object against the Kubernetes
// API schemas (kubernetes-models), lints every YAML file with yamllint, checks the alerting rules
// with promtool, and checks that the rules and the Grafana dashboard of deploy/observability are
// well formed and name only metrics the code of apps/ and libs/ defines. Without kubectl, yamllint
// or promtool (Debian: kubernetes-client, yamllint, prometheus) it says so and skips — except
// under CI, where a missing tool is a failure.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';

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

const ALERTS = 'deploy/observability/alerts.yaml';
const DASHBOARD = 'deploy/observability/dashboard.json';
const promtool = run('promtool', ['check', 'rules', ALERTS]);
if (promtool && promtool.status !== 0)
  problems.push(`promtool check rules:\n${promtool.stdout}${promtool.stderr}`);
if (promtool?.status === 0) say(`promtool: ${ALERTS} is valid`);

function* sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist'].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (
      /\.tsx?$/.test(entry.name) &&
      !/\.(spec|int-spec|e2e-spec|faults-spec)\.tsx?$|\.d\.ts$/.test(entry.name)
    )
      yield path;
  }
}

// The series each metric type exposes; `up` and the like come from Prometheus's scrape.
const SERIES = {
  Counter: [''],
  Gauge: [''],
  Histogram: ['_bucket', '_sum', '_count'],
  Summary: ['', '_sum', '_count'],
};
const metrics = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_series_added']);
const define = (type, name) => SERIES[type].forEach((suffix) => metrics.add(`${name}${suffix}`));
let defaults = false;
for (const path of [...sources(join(root, 'apps')), ...sources(join(root, 'libs'))]) {
  const text = readFileSync(path, 'utf8');
  for (const [, type, name] of text.matchAll(
    /new (Counter|Gauge|Histogram|Summary)\(\{[^}]*?\bname: '([^']+)'/g,
  ))
    define(type, name);
  defaults ||= /\bcollectDefaultMetrics\(/.test(text);
}
if (defaults) {
  const lib = join(root, 'node_modules/prom-client/lib/metrics');
  for (const file of readdirSync(lib).filter((f) => f.endsWith('.js'))) {
    const text = readFileSync(join(lib, file), 'utf8');
    for (const [, name] of text.matchAll(/'((?:process|nodejs)_\w+)'/g))
      define(text.includes('new Histogram(') ? 'Histogram' : 'Gauge', name);
  }
}

const PROMQL_WORDS = new Set(
  'by without on ignoring group_left group_right bool and or unless offset inf nan'.split(' '),
);
function metricsIn(expr) {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}|\[[^\]]*\]/g, '')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  return [...bare.matchAll(/(?<![\w:.$])[a-zA-Z_:][\w:]*(?![\w:])(?!\s*\()/g)]
    .map(([name]) => name)
    .filter((name) => !PROMQL_WORDS.has(name.toLowerCase()));
}
const exprs = [];
const SEVERITIES = ['critical', 'warning', 'info'];

let rules;
try {
  rules = parse(readFileSync(join(root, ALERTS), 'utf8'));
} catch (error) {
  problems.push(`${ALERTS}: ${error.message}`);
}
const alerts = (rules?.groups ?? []).flatMap((group) => group.rules ?? []);
if (rules && alerts.length === 0) problems.push(`${ALERTS}: no groups of rules`);
for (const rule of alerts) {
  const where = `${ALERTS}: ${rule.alert ?? rule.record ?? JSON.stringify(rule)}`;
  if (!rule.alert) problems.push(`${where}: no alert name`);
  if (!SEVERITIES.includes(rule.labels?.severity))
    problems.push(`${where}: severity not one of ${SEVERITIES}`);
  if (!rule.annotations?.summary) problems.push(`${where}: no annotations.summary`);
  if (typeof rule.expr === 'string') exprs.push({ where, expr: rule.expr });
  else problems.push(`${where}: no expr`);
}

let dashboard;
try {
  dashboard = JSON.parse(readFileSync(join(root, DASHBOARD), 'utf8'));
} catch (error) {
  problems.push(`${DASHBOARD}: ${error.message}`);
}
const panels = (dashboard?.panels ?? []).flatMap((panel) => [panel, ...(panel.panels ?? [])]);
if (dashboard && !(dashboard.title && dashboard.uid && panels.length > 0))
  problems.push(`${DASHBOARD}: a dashboard needs a title, a uid and panels`);
const ids = new Set();
for (const panel of panels) {
  const where = `${DASHBOARD}: panel ${panel.id} "${panel.title}"`;
  if (ids.has(panel.id)) problems.push(`${where}: its id is taken`);
  ids.add(panel.id);
  if (panel.type === 'row') continue;
  if (!panel.datasource) problems.push(`${where}: no datasource`);
  if (!panel.targets?.length) problems.push(`${where}: no targets`);
  for (const target of panel.targets ?? []) {
    if (typeof target.expr === 'string' && target.expr) exprs.push({ where, expr: target.expr });
    else problems.push(`${where}: a target without expr`);
  }
}

const unknown = exprs.flatMap(({ where, expr }) =>
  metricsIn(expr)
    .filter((name) => !metrics.has(name))
    .map((name) => `${where}: ${name} is no metric the code defines`),
);
problems.push(...unknown);
if (rules && dashboard && unknown.length === 0)
  say(
    `deploy/observability: ${alerts.length} alerts and ${panels.filter((p) => p.type !== 'row').length} panels name only defined metrics`,
  );

if (missing.length > 0) {
  const packages = { kubectl: 'kubernetes-client', yamllint: 'yamllint', promtool: 'prometheus' };
  const line = `Not found: ${missing.join(', ')} (Debian: apt-get install ${missing.map((c) => packages[c]).join(' ')})`;
  if (process.env.CI) problems.push(line);
  else say(`${line}: those checks are skipped`);
}
if (problems.length > 0) {
  process.stderr.write(`${problems.join('\n')}\n`);
  process.exit(1);
}
