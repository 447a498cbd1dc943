/**
 * `node bench/dist/profile-summary.js <dir>`: what the V8 CPU profiles of a `BENCH_PROFILE=<dir>
 * npm run bench` run spent their time on — per process, the share of samples by package (or
 * Twofold's own code) and the top functions by self time. The summaries are small text worth
 * committing; the profiles are not.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const where = (url: string): string => {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const own = /\/(apps|libs)\/([^/]+)\//.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  return url.startsWith('node:') ? 'node' : url === '' ? '(native / GC / idle)' : url;
};

const dir = process.argv[2] ?? '.';
/** Only the last N seconds of each profile (the load at the end of a BENCH_ONLY run), if given. */
const lastSeconds = process.argv[3] ? Number(process.argv[3]) : undefined;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  if (lastSeconds !== undefined) {
    // Recount each node's hits from the samples within the window.
    const times: number[] = [];
    let at = 0;
    for (const delta of profile.timeDeltas) times.push((at += delta));
    const end = times.at(-1) ?? 0;
    const hits = new Map<number, number>();
    profile.samples.forEach((id, i) => {
      if (times[i] >= end - lastSeconds * 1e6) hits.set(id, (hits.get(id) ?? 0) + 1);
    });
    for (const node of profile.nodes) node.hitCount = hits.get(node.id) ?? 0;
  }
  const total = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  const busy = profile.nodes
    .filter((n) => !['(idle)', '(program)'].includes(n.callFrame.functionName))
    .reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  if (busy === 0) continue;
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (!hits || ['(idle)', '(program)'].includes(node.callFrame.functionName)) continue;
    const place = where(node.callFrame.url);
    byPlace.set(place, (byPlace.get(place) ?? 0) + hits);
    const name = `${node.callFrame.functionName || '(anonymous)'}  ${node.callFrame.url.replace(/^.*\/(node_modules|apps|libs)\//, '$1/')}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
  }
  const share = (hits: number) => `${((100 * hits) / busy).toFixed(1).padStart(5)} %`;
  const service =
    ['gateway', 'otp-service', 'account-service'].find((name) =>
      profile.nodes.some((n) => n.callFrame.url.includes(`/apps/${name}/`)),
    ) ?? 'unknown';
  process.stdout.write(
    `\n== ${service} (${file}): busy ${((100 * busy) / total).toFixed(0)} % of the samples\n`,
  );
  for (const [place, hits] of [...byPlace].sort((a, b) => b[1] - a[1]).slice(0, 12))
    process.stdout.write(`  ${share(hits)}  ${place}\n`);
  process.stdout.write('  top functions (self time):\n');
  for (const [name, hits] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 15))
    process.stdout.write(`  ${share(hits)}  ${name}\n`);
}
