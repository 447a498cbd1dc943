/**
 * `npm run bench`: the hot paths of Twofold against a bare baseline, in one run on this machine.
 *
 * The stack runs as separate processes on the real Postgres, Redis and NATS (loopback). Members
 * with 2FA are seeded through each service's bulk path (not a request route; seconds, not argon2
 * minutes), MFA tokens through the gateway's. The load comes from Debian's `wrk` (installed when
 * missing) at saturation, and at half the measured rate (held by wrk, open loop) for the p99 that counts.
 * Paths: (a) the second factor (a fresh MFA token and a valid code each), (b) Keystone token
 * validation by a service user and by the token's holder, (c) REST GET /me, (d) password sign-in
 * (with account-service's CPU-ms per sign-in), (e) otp.v1.verify alone over NATS, (g) the second
 * factor with a passkey (a WebAuthn assertion per MFA token), and (f) the bare
 * baseline (node:http on both cores, the same TOTP and replay check in memory). Each path's rate
 * is given as a ratio to the baseline of the same run; results go to bench/results/<time>.json.
 * Bounded in count and time; everything on loopback.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { OtpRpc } from '@twofold/contracts';
import {
  base32Decode,
  createIntegrationEnv,
  freePort,
  SoftwareAuthenticator,
  Stack,
  totpReference,
} from '@twofold/testing';
import { connect, headers as natsHeaders, JSONCodec } from 'nats';

const ROOT = resolve(__dirname, '../..');
const PASSWORD = 'correct horse battery staple';
const SERVICE_PASSWORD = 'a long random service password for the bench';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
/**
 * Unrecorded load before each measured run, so that what is measured is the services' steady
 * state: on a slow or busy machine V8 is still compiling the hot code after one second.
 */
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const OTP_INSTANCES = Number(process.env.BENCH_OTP_INSTANCES ?? 1);
const THREADS = 2;
/** The ratios the issue sets (token validation, second factor), and the p99 bound at half load. */
const TARGETS = { validation: 0.25, secondFactor: 0.1, p99Ms: 20 };

interface Load {
  /** CPU time per request (µs) by process group, over the run (see cpuOfGroups). */
  cpuUs?: Record<string, number>;
  requests: number;
  durationUs: number;
  non2xx: number;
  errors: number;
  p50Us: number;
  p99Us: number;
  /** Requests past the end of the run's file (refused replays): the file was sized too small. */
  ranOut?: number;
  /** Of the errors, the timeouts; and the answers other than 2xx by status (half-rate runs). */
  timeouts?: number;
  statuses?: Record<string, number>;
  samples?: string[];
}
interface Row {
  path: string;
  rate: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  ratio?: number;
  /** CPU time per request (µs) by process group: where the machine's two cores went. */
  cpuUs?: Record<string, number>;
  halfRateP99Ms?: number;
  halfRateP50Ms?: number;
  /** The rate the half-rate run held. */
  halfRate?: number;
  note?: string;
}

function ensureWrk(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim();
  } catch {
    process.stdout.write('Installing wrk (Debian) for the load…\n');
    execFileSync(
      'sh',
      [
        '-c',
        'apt-get install -y -qq wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk)',
      ],
      {
        stdio: 'inherit',
      },
    );
    return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim();
  }
}

/**
 * One wrk run: at saturation, or at a held `rate` (requests/s, open loop: see load.lua), with
 * the bodies of a file (each line once) or none (GET).
 */
function wrk(
  binary: string,
  url: string,
  options: {
    bodies?: string;
    headers?: Record<string, string>;
    rate?: number;
    seconds?: number;
    statuses?: boolean;
  },
): Load {
  const threads = Math.min(THREADS, CONNECTIONS);
  const seconds = options.seconds ?? SECONDS;
  const args = ['-t', String(threads), '-c', String(CONNECTIONS), '-d', `${seconds}s`, '--timeout', '5s'];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}: ${value}`);
  args.push('-s', join(ROOT, 'bench/wrk/load.lua'), url, '--', options.bodies ?? '-', String(threads), '0');
  args.push(options.bodies ? 'POST' : 'GET', String(Math.max(0, Math.floor(options.rate ?? 0))));
  if (options.statuses) args.push('statuses');
  const before = cpuOfGroups();
  const out = execFileSync(binary, args, { encoding: 'utf8' });
  const after = cpuOfGroups();
  const load = JSON.parse(out.trim().split('\n').pop()!) as Load;
  load.cpuUs = cpuPerRequest(before, after, load.requests);
  return load;
}

/** A path measured after WARM_UP_SECONDS of the same load, unrecorded: the services' code is warm. */
function warmWrk(
  binary: string,
  url: string,
  options: Parameters<typeof wrk>[2],
  warmUpBodies?: string,
): Load {
  wrk(binary, url, {
    ...options,
    ...(warmUpBodies ? { bodies: warmUpBodies } : {}),
    seconds: WARM_UP_SECONDS,
  });
  return wrk(binary, url, options);
}

const rowOf = (path: string, load: Load): Row => ({
  path,
  ...(load.cpuUs ? { cpuUs: load.cpuUs } : {}),
  rate: Math.round(load.requests / (load.durationUs / 1e6)),
  p50Ms: load.p50Us / 1000,
  p99Ms: load.p99Us / 1000,
  non2xx: load.non2xx,
  errors: load.errors,
  ...(load.ranOut ? { note: ranOutNote(load.ranOut) } : {}),
});

const ranOutNote = (n: number): string =>
  `${n} requests past the end of the file: sized too small for this machine (see BENCH_MFA_BOUND)`;

/**
 * The p99 at half the saturation rate, the rate held by wrk (open loop, see load.lua), after
 * WARM_UP_SECONDS at that rate, unrecorded: the steady state at half load, not the services'
 * recovery from saturation (the garbage collections its queues left to do).
 */
function halfRate(
  binary: string,
  url: string,
  rate: number,
  options: { headers?: Record<string, string>; bodies?: string },
  warmUpBodies?: string,
): { p50Ms: number; p99Ms: number; non2xx: number; rate: number; ranOut: number; refused: string } {
  const held = Math.max(1, rate / 2);
  wrk(binary, url, {
    ...options,
    ...(warmUpBodies ? { bodies: warmUpBodies } : {}),
    rate: held,
    seconds: WARM_UP_SECONDS,
  });
  // Twice as long as a saturation run: the 1 % slowest of a few thousand requests is one stall.
  const load = wrk(binary, url, { ...options, rate: held, seconds: 2 * SECONDS, statuses: true });
  const refused = Object.entries(load.statuses ?? {}).map(([status, n]) => `${n} × ${status}`);
  const failed = load.errors - (load.timeouts ?? 0);
  if (load.timeouts) refused.push(`${load.timeouts} timed out`);
  if (failed) refused.push(`${failed} socket errors`);
  if (load.samples?.length) refused.push(`e.g. ${load.samples.join(' | ')}`);
  return {
    p50Ms: Math.round(load.p50Us / 100) / 10,
    p99Ms: Math.round(load.p99Us / 100) / 10,
    non2xx: load.non2xx + load.errors,
    refused: refused.join(', '),
    rate: Math.round(load.requests / (load.durationUs / 1e6)),
    ranOut: load.ranOut ?? 0,
  };
}

/** Readings of a process from /proc: CPU time (ms) and resident memory (MB). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Math.round(Number(line.split(/\s+/)[1]) / 1024);
}

/** The stack's services by pid, for cpuOfGroups; the bench's own helpers by name. */
const groupOfPid = new Map<number, string>();

/**
 * CPU time (ms) of every process on the machine so far, by group: each service of the stack, the
 * baseline's processes, and the rest by command name (redis-server, nats-server, postgres, wrk…).
 */
function cpuOfGroups(): Map<string, number> {
  const groups = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(entry);
    const group = groupOfPid.get(pid) ?? groupOfPid.get(Number(fields[1])) ?? name;
    const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    if (ms > 0) groups.set(group, (groups.get(group) ?? 0) + ms);
  }
  return groups;
}

/** CPU time per request (µs) by group between two readings of cpuOfGroups. */
function cpuPerRequest(
  before: Map<string, number>,
  after: Map<string, number>,
  requests: number,
): Record<string, number> {
  const perRequest: Record<string, number> = {};
  for (const [group, ms] of after) {
    const us = Math.round(((ms - (before.get(group) ?? 0)) * 1000) / Math.max(1, requests));
    if (us >= 1) perRequest[group] = us;
  }
  return perRequest;
}

const stepNow = () => Math.floor(Date.now() / 30_000);

/**
 * A member whose code of step s+1 equals its code of step s−1 or s cannot use it once step s
 * was used: the code matches the earlier step first and is refused as a replay, rightly (the
 * verifier cannot tell it from one). About two members in a million; the bench leaves them out
 * rather than count a refusal by design as a fault.
 */
const unambiguous = (m: { secret: string }, s: number): boolean => {
  const secret = base32Decode(m.secret);
  const next = totpReference(secret, (s + 1) * 30);
  return next !== totpReference(secret, s * 30) && next !== totpReference(secret, (s - 1) * 30);
};

const newMember = (i: number) => ({
  accountId: randomUUID(),
  accountName: `Bench ${i}`,
  memberId: randomUUID(),
  login: `bench-${i}`,
  email: `bench-${i}@example.com`,
  secret: base32(randomBytes(20)),
});
/** BENCH_ONLY=mfa,validation,… measures only those paths (and the baseline): for profiling one. */
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : undefined;
const measures = (path: 'mfa' | 'webauthn' | 'rpc' | 'validation' | 'me' | 'signin'): boolean =>
  !ONLY || ONLY.has(path);

/**
 * Every request of a run needs a code no request used before (a member, a step), so each run's
 * file is sized for the rate it can reach, with a margin: a request past the end would repeat
 * the last body and be refused as a replay (load.lua counts those, and the row says so).
 * The baseline's own members, in memory only, are sized for BENCH_BASELINE_CAPACITY requests a
 * second (this machine’s kind has reached ~97,000 when quiet), two codes each.
 */
const MARGIN = 1.25;
const BASELINE_CAPACITY = Number(process.env.BENCH_BASELINE_CAPACITY ?? 150_000);
const BASELINE_MEMBERS = Math.ceil((BASELINE_CAPACITY * SECONDS) / 2);
/** And its warm-up's members, two codes each as well. */
const BASELINE_WARM_UP_MEMBERS = Math.ceil((BASELINE_CAPACITY * WARM_UP_SECONDS) / 2);
/**
 * The stack's members are seeded after the baseline ran, for the rates its ratio can reach:
 * the second factor at up to BENCH_MFA_BOUND of the baseline (one code per member and run),
 * the RPC at up to BENCH_RPC_BOUND (two codes per member). BENCH_MFA_MEMBERS fixes the count.
 */
const MFA_BOUND = Number(process.env.BENCH_MFA_BOUND ?? 0.3);
/** The passkey second factor: members with a passkey (counter 0, so any order), many sign-ins each. */
const WEBAUTHN_BOUND = Number(process.env.BENCH_WEBAUTHN_BOUND ?? 0.15);
const WEBAUTHN_MEMBERS = 1_000;
const RPC_BOUND = Number(process.env.BENCH_RPC_BOUND ?? 0.4);
const MIN_MEMBERS = 2_000;

async function main(): Promise<void> {
  const wrkBinary = ensureWrk();
  const work = mkdtempSync(join(tmpdir(), 'twofold-bench-'));
  const infra = await createIntegrationEnv('bench');
  const profileDir = process.env.BENCH_PROFILE ? resolve(process.env.BENCH_PROFILE) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  // BENCH_TRACING=1: every request traced (100 % sampled) and exported over OTLP to a sink process.
  const tracing = process.env.BENCH_TRACING === '1' ? await otlpSink() : undefined;
  const env: Record<string, string> = {
    ...infra.env,
    ...(tracing ? { OTEL_EXPORTER_OTLP_ENDPOINT: tracing.url, OTEL_TRACES_SAMPLER: 'always_on' } : {}),
    // As deployed: RPC answers are not parsed by their contracts (they are in development and tests).
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000000',
    // The password limits are per login and address: the bench signs many logins in from one.
    PASSWORD_BACKOFF_AFTER_FAILURES: '1000',
    // On a Redis Cluster (TEST_REDIS_CLUSTER_NODES), OTP_ACCEPT_REPLICAS=0 measures the second
    // factor without its WAIT for a replica, OTP_ACCEPT_NEW_MASTER_SECONDS=1 with it (by default
    // a fresh process records every acceptance in PostgreSQL for four minutes).
    ...Object.fromEntries(
      ['OTP_ACCEPT_REPLICAS', 'OTP_ACCEPT_NEW_MASTER_SECONDS'].flatMap((name) =>
        process.env[name] ? [[name, process.env[name]]] : [],
      ),
    ),
  };
  const stack = new Stack({
    rootDir: ROOT,
    env,
    // BENCH_LOGS=<dir>: the services' output lands there.
    ...(process.env.BENCH_LOGS ? { logDir: resolve(process.env.BENCH_LOGS) } : {}),
    // BENCH_PROFILE=<dir>: every service writes a V8 CPU profile there when the stack stops.
    // BENCH_NODE_ARGS="--flag …": extra V8/Node flags for the services (to try one out).
    nodeArgs: [
      ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    ],
    gatewayMetricsPorts: [await freePort()],
    ports: {
      gateway: await freePort(),
      'otp-service': await freePort(),
      'account-service': await freePort(),
    },
    // BENCH_OTP_INSTANCES=n: otp-service as n processes in its queue group (it scales out).
    extraOtpServicePorts: await Promise.all(
      Array.from({ length: Math.max(0, OTP_INSTANCES - 1) }, () => freePort()),
    ),
  });
  const started = Date.now();
  await stack.start();
  const startSeconds = (Date.now() - started) / 1000;
  const url = stack.gatewayUrl;
  const rows: Row[] = [];
  let baseline: ChildProcess | undefined;
  for (const name of ['gateway', 'otp-service', 'account-service'] as const) {
    groupOfPid.set(stack.services[name].pid!, name);
  }
  for (const otp of stack.otpServices) groupOfPid.set(otp.pid!, 'otp-service');
  groupOfPid.set(process.pid, 'bench');
  try {
    const idleRss = Object.fromEntries(
      (['gateway', 'otp-service', 'account-service'] as const).map((name) => [
        name,
        rssMb(stack.services[name].pid!),
      ]),
    );

    const codeOf = (m: { secret: string }, step: number) => totpReference(base32Decode(m.secret), step * 30);

    // (f) The bare baseline first, on both cores, while the stack idles: its rate sizes the rest.
    // Its codes are those of the step it starts in and the next, valid (±1 step) for 30 s or more.
    const baselineMembers = Array.from({ length: BASELINE_MEMBERS + BASELINE_WARM_UP_MEMBERS }, (_, i) =>
      newMember(i),
    );
    const baselineWarmUp = baselineMembers.splice(BASELINE_MEMBERS);
    const b = stepNow();
    const baselineBodies = (list: typeof baselineMembers) =>
      `${[0, 1].flatMap((k) => list.map((m) => JSON.stringify({ memberId: m.memberId, code: codeOf(m, b + k) }))).join('\n')}\n`;
    writeFileSync(join(work, 'baseline.txt'), baselineBodies(baselineMembers));
    writeFileSync(join(work, 'baseline-warm.txt'), baselineBodies(baselineWarmUp));
    writeFileSync(
      join(work, 'secrets.json'),
      JSON.stringify(
        [...baselineMembers, ...baselineWarmUp].map((m) => ({ memberId: m.memberId, secret: m.secret })),
      ),
    );
    const baselinePort = await freePort();
    baseline = spawn(
      process.execPath,
      [join(__dirname, 'baseline.js'), String(baselinePort), join(work, 'secrets.json')],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((done) =>
      createInterface({ input: baseline!.stdout! }).once('line', () => done()),
    );
    groupOfPid.set(baseline.pid!, 'baseline');
    const bare = rowOf(
      'bare baseline: node:http ×2, TOTP + replay in memory',
      warmWrk(
        wrkBinary,
        `http://127.0.0.1:${baselinePort}/verify`,
        { bodies: join(work, 'baseline.txt') },
        join(work, 'baseline-warm.txt'),
      ),
    );
    baseline.kill();
    baseline = undefined;
    rows.push(bare);

    // Members for the second factor: saturation takes their codes of step s (the warm-up's
    // members first, then the measured run's), the half-rate run their codes of step s+1 (it
    // needs half as many a second, for W/2 + S seconds of the saturated run's W + S).
    const mfaCount = Math.max(
      MIN_MEMBERS,
      Number(process.env.BENCH_MFA_MEMBERS ?? 0) ||
        Math.ceil(bare.rate * MFA_BOUND * (WARM_UP_SECONDS + SECONDS) * MARGIN),
    );
    const rpcCount = Math.max(MIN_MEMBERS, Math.ceil((bare.rate * RPC_BOUND * SECONDS * MARGIN) / 2));

    // Seeding through each service's bulk path.
    const members = Array.from({ length: mfaCount + rpcCount }, (_, i) => newMember(i));
    const origin = `http://localhost:${new URL(url).port}`;
    const authenticator = new SoftwareAuthenticator({ counts: false });
    const passkeyMembers = Array.from({ length: measures('webauthn') ? WEBAUTHN_MEMBERS : 0 }, (_, i) => {
      const m = newMember(mfaCount + rpcCount + i);
      const handle = Buffer.from(m.memberId.replace(/-/g, ''), 'hex').toString('base64url');
      return { ...m, passkey: authenticator.enrol('localhost', handle) };
    });
    const seedStarted = Date.now();
    writeFileSync(
      join(work, 'accounts.json'),
      JSON.stringify({ password: PASSWORD, members: [...members, ...passkeyMembers] }),
    );
    writeFileSync(
      join(work, 'credentials.json'),
      JSON.stringify({ members: [...members, ...passkeyMembers] }),
    );
    const mfaMembers = members.slice(0, mfaCount);
    writeFileSync(
      join(work, 'pending.json'),
      JSON.stringify(
        mfaMembers.map((m) => ({
          user: { id: m.memberId, login: m.login, email: m.email, roles: ['owner'] },
          account: { id: m.accountId, name: m.accountName },
        })),
      ),
    );
    const seedEnv = { ...process.env, ...env };
    execFileSync(
      process.execPath,
      [join(ROOT, 'apps/account-service/dist/seed.js'), join(work, 'accounts.json')],
      { env: seedEnv, stdio: 'inherit' },
    );
    execFileSync(
      process.execPath,
      [join(ROOT, 'apps/otp-service/dist/seed.js'), join(work, 'credentials.json')],
      { env: seedEnv, stdio: 'inherit' },
    );
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'apps/gateway/dist/seed-pending.js'),
        join(work, 'pending.json'),
        '2',
        join(work, 'tokens.json'),
      ],
      { env: seedEnv, stdio: 'inherit' },
    );
    const webauthnPerMember = Math.ceil(
      (bare.rate * WEBAUTHN_BOUND * (WARM_UP_SECONDS + SECONDS) * MARGIN) / WEBAUTHN_MEMBERS,
    );
    if (passkeyMembers.length > 0) {
      writeFileSync(
        join(work, 'pending-passkeys.json'),
        JSON.stringify(
          passkeyMembers.map((m) => ({
            user: { id: m.memberId, login: m.login, email: m.email, roles: ['owner'] },
            account: { id: m.accountId, name: m.accountName },
            factors: ['totp', 'webauthn'],
          })),
        ),
      );
      execFileSync(
        process.execPath,
        [
          join(ROOT, 'apps/gateway/dist/seed-pending.js'),
          join(work, 'pending-passkeys.json'),
          String(webauthnPerMember),
          join(work, 'tokens-passkeys.json'),
        ],
        { env: seedEnv, stdio: 'inherit' },
      );
    }
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    const tokens = JSON.parse(readFileSync(join(work, 'tokens.json'), 'utf8')) as string[][];

    // Within one 60-second span every member's codes for steps s and s+1 are valid: start at a step boundary.
    const wait = 30_000 - (Date.now() % 30_000) + 200;
    process.stdout.write(
      `Seeded ${members.length} members with 2FA in ${seedSeconds.toFixed(1)} s; waiting ${Math.round(wait / 1000)} s for a fresh TOTP step…\n`,
    );
    await new Promise((r) => setTimeout(r, wait));
    const s = stepNow();
    const ready = mfaMembers.flatMap((m, i) => (unambiguous(m, s) ? [{ m, tokens: tokens[i] }] : []));
    const mfaReady = ready.length;
    const mfaWarmUp = Math.ceil((mfaReady * WARM_UP_SECONDS) / (WARM_UP_SECONDS + SECONDS));
    const mfaBodies = [0, 1].flatMap((k) =>
      ready.map(({ m, tokens: pair }) => JSON.stringify({ mfaToken: pair[k], code: codeOf(m, s + k) })),
    );
    // Saturation takes each member's code of step s, the half-rate run its code of step s+1: no
    // body is sent twice, however unevenly wrk's threads go through the file.
    // The warm-up takes the last members' codes of step s; the measured run the others'.
    writeFileSync(join(work, 'mfa.txt'), `${mfaBodies.slice(0, mfaReady - mfaWarmUp).join('\n')}\n`);
    writeFileSync(
      join(work, 'mfa-warm.txt'),
      `${mfaBodies.slice(mfaReady - mfaWarmUp, mfaReady).join('\n')}\n`,
    );
    // The half-rate run's warm-up takes the same last members' codes of step s+1.
    writeFileSync(
      join(work, 'mfa-half.txt'),
      `${mfaBodies.slice(mfaReady, 2 * mfaReady - mfaWarmUp).join('\n')}\n`,
    );
    writeFileSync(
      join(work, 'mfa-half-warm.txt'),
      `${mfaBodies.slice(2 * mfaReady - mfaWarmUp).join('\n')}\n`,
    );

    // (a) The second factor: a fresh MFA token and a valid code each.
    let mfaHalf = { p50Ms: Number.NaN, p99Ms: Number.NaN, non2xx: 0, rate: 0, ranOut: 0, refused: '' };
    let bySvcHalf = { p50Ms: Number.NaN, p99Ms: Number.NaN, non2xx: 0, rate: 0, ranOut: 0, refused: '' };
    if (measures('mfa')) {
      const mfaLoad = warmWrk(
        wrkBinary,
        `${url}/api/v1/auth/mfa`,
        { bodies: join(work, 'mfa.txt') },
        join(work, 'mfa-warm.txt'),
      );
      const mfa = rowOf('second factor: POST /api/v1/auth/mfa (MFA token + code → session)', mfaLoad);
      mfaHalf = halfRate(
        wrkBinary,
        `${url}/api/v1/auth/mfa`,
        mfa.rate,
        { bodies: join(work, 'mfa-half.txt') },
        join(work, 'mfa-half-warm.txt'),
      );
      rows.push({
        ...mfa,
        halfRateP50Ms: mfaHalf.p50Ms,
        halfRateP99Ms: mfaHalf.p99Ms,
        halfRate: mfaHalf.rate,
        ...(mfa.note || mfaHalf.non2xx
          ? {
              note: [
                mfa.note,
                mfaHalf.non2xx ? `at half rate: ${mfaHalf.refused}` : undefined,
                mfaHalf.ranOut ? `half rate: ${ranOutNote(mfaHalf.ranOut)}` : undefined,
              ]
                .filter(Boolean)
                .join('; '),
            }
          : {}),
      });
    }

    // (g) The second factor with a passkey: each MFA token's challenge asked for as a browser would
    // after a refusal (POST /auth/mfa/options), answered by the authenticator ahead of the run.
    if (measures('webauthn')) {
      const passkeyTokens = (
        JSON.parse(readFileSync(join(work, 'tokens-passkeys.json'), 'utf8')) as string[][]
      ).flat();
      const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
      const bodies: string[] = [];
      for (let i = 0; i < passkeyTokens.length; i += CONNECTIONS) {
        bodies.push(
          ...(await Promise.all(
            passkeyTokens.slice(i, i + CONNECTIONS).map(async (mfaToken) => {
              const { body } = await post(`${url}/api/v1/auth/mfa/options`, { mfaToken }, agent);
              return JSON.stringify({ mfaToken, webauthn: authenticator.get(body.options, origin) });
            }),
          )),
        );
      }
      agent.destroy();
      const warm = Math.ceil((bodies.length * WARM_UP_SECONDS) / (WARM_UP_SECONDS + SECONDS));
      writeFileSync(join(work, 'webauthn.txt'), `${bodies.slice(warm).join('\n')}\n`);
      writeFileSync(join(work, 'webauthn-warm.txt'), `${bodies.slice(0, warm).join('\n')}\n`);
      rows.push(
        rowOf(
          'second factor with a passkey: POST /api/v1/auth/mfa (MFA token + WebAuthn assertion → session)',
          warmWrk(
            wrkBinary,
            `${url}/api/v1/auth/mfa`,
            { bodies: join(work, 'webauthn.txt') },
            join(work, 'webauthn-warm.txt'),
          ),
        ),
      );
    }

    if (process.env.BENCH_DEBUG_METRICS) {
      const metrics = await (
        await fetch(`http://127.0.0.1:${stack.gateways[0].options.env.GATEWAY_METRICS_PORT}/metrics`)
      ).text();
      process.stdout.write(
        `${metrics
          .split('\n')
          .filter((l) => /_(sum|count|bucket)\{/.test(l) && /mfa|verify/.test(l))
          .join('\n')}\n`,
      );
    }

    // (e) otp.v1.verify alone, over NATS (a light client in this process). Its codes are those
    // of the step it starts in and the next: on a slow machine the runs before it can take the
    // step the bodies above were made for out of the window.
    if (measures('rpc')) rows.push(await rpcVerify(env, members.slice(mfaCount), stepNow()));

    // (b) Keystone token validation, by a service user and by the token's holder.
    const owner = `bench-holder-${Date.now()}`;
    await post(`${url}/api/v1/accounts`, {
      accountName: `Bench ${owner}`,
      login: owner,
      email: `${owner}@example.com`,
      password: PASSWORD,
    });
    const holder = (await post(`${url}/identity/v3/auth/tokens`, keystonePassword(owner, PASSWORD))).token;
    execFileSync(
      process.execPath,
      [join(ROOT, 'apps/operator-cli/dist/main.js'), 'service-user', 'create', '--login', 'bench-svc'],
      {
        env: { ...process.env, NATS_URL: env.NATS_URL, NATS_SUBJECT_PREFIX: env.NATS_SUBJECT_PREFIX },
        input: `${SERVICE_PASSWORD}\n`,
      },
    );
    const service = (
      await post(`${url}/identity/v3/auth/tokens`, keystonePassword('bench-svc', SERVICE_PASSWORD, 'service'))
    ).token;
    const bySvcHeaders = { 'x-auth-token': service, 'x-subject-token': holder };
    if (measures('validation')) {
      const bySvc = rowOf(
        'token validation: GET /identity/v3/auth/tokens by a service user',
        warmWrk(wrkBinary, `${url}/identity/v3/auth/tokens`, { headers: bySvcHeaders }),
      );
      bySvcHalf = halfRate(wrkBinary, `${url}/identity/v3/auth/tokens`, bySvc.rate, {
        headers: bySvcHeaders,
      });
      rows.push({
        ...bySvc,
        halfRateP50Ms: bySvcHalf.p50Ms,
        halfRateP99Ms: bySvcHalf.p99Ms,
        halfRate: bySvcHalf.rate,
        ...(bySvcHalf.non2xx ? { note: `at half rate: ${bySvcHalf.refused}` } : {}),
      });
      rows.push(
        rowOf(
          'token validation: the same, by the token’s holder',
          warmWrk(wrkBinary, `${url}/identity/v3/auth/tokens`, {
            headers: { 'x-auth-token': holder, 'x-subject-token': holder },
          }),
        ),
      );
    }

    // (c) REST GET /me.
    const session = (await post(`${url}/api/v1/auth/login`, { login: owner, password: PASSWORD })).body
      .token as string;
    if (measures('me'))
      rows.push(
        rowOf(
          'REST GET /api/v1/me',
          warmWrk(wrkBinary, `${url}/api/v1/me`, { headers: { authorization: `Bearer ${session}` } }),
        ),
      );

    // (d) Password sign-in, over distinct logins; account-service's CPU per sign-in.
    writeFileSync(
      join(work, 'logins.txt'),
      `${mfaMembers.map((m) => JSON.stringify({ login: m.login, password: PASSWORD })).join('\n')}\n`,
    );
    if (measures('signin')) {
      const accountPid = stack.services['account-service'].pid!;
      const cpuBefore = cpuMs(accountPid);
      const signInLoad = wrk(wrkBinary, `${url}/api/v1/auth/login`, { bodies: join(work, 'logins.txt') });
      const perSignIn = (cpuMs(accountPid) - cpuBefore) / Math.max(1, signInLoad.requests);
      rows.push({
        ...rowOf('password sign-in: POST /api/v1/auth/login', signInLoad),
        note: `account-service ${perSignIn.toFixed(1)} CPU-ms per sign-in (argon2id)`,
      });
    }

    for (const row of rows.slice(1)) row.ratio = row.rate / bare.rate;
    print(rows, { startSeconds, seedSeconds, idleRss });
    // A target counts only with no refusal and no error, at saturation and at half rate alike,
    // and against a baseline that refused nothing (past the end of its file, say).
    const meets = (row: Row | undefined, half: { non2xx: number }, ratio: number): boolean =>
      bare.non2xx === 0 &&
      bare.errors === 0 &&
      row !== undefined &&
      row.non2xx === 0 &&
      row.errors === 0 &&
      half.non2xx === 0 &&
      (row.ratio ?? 0) >= ratio;
    const verdict = {
      validation: meets(
        rows.find((r) => r.path.includes('by a service user')),
        bySvcHalf,
        TARGETS.validation,
      ),
      secondFactor: meets(
        rows.find((r) => r.path.startsWith('second factor')),
        mfaHalf,
        TARGETS.secondFactor,
      ),
      p99AtHalfRate: mfaHalf.p99Ms <= TARGETS.p99Ms && bySvcHalf.p99Ms <= TARGETS.p99Ms,
    };
    process.stdout.write(
      `\nTargets: token validation ≥ ${TARGETS.validation * 100} % ${verdict.validation ? 'met' : 'NOT met'}; second factor ≥ ${TARGETS.secondFactor * 100} % ${verdict.secondFactor ? 'met' : 'NOT met'}; p99 ≤ ${TARGETS.p99Ms} ms at half rate ${verdict.p99AtHalfRate ? 'met' : 'NOT met'}\n`,
    );
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    const file = join(ROOT, 'bench/results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      `${JSON.stringify({ at: new Date().toISOString(), tracing: Boolean(tracing), seconds: SECONDS, connections: CONNECTIONS, startSeconds, seedSeconds, idleRssMb: idleRss, rows, targets: TARGETS, verdict }, null, 2)}\n`,
    );
    process.stdout.write(`Results: ${file}\n`);
  } finally {
    baseline?.kill();
    await stack.stop();
    tracing?.process.kill();
    await infra.cleanup();
    // Hundreds of MB of members, secrets and tokens: gone with the run (BENCH_KEEP_WORK=1 keeps them).
    if (process.env.BENCH_KEEP_WORK) process.stdout.write(`Work files: ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
}

/** A collector that takes every OTLP export and keeps nothing, in a process of its own. */
async function otlpSink(): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const sink = spawn(
    process.execPath,
    [
      '-e',
      `require('node:http').createServer((q, s) => { q.resume(); q.on('end', () => s.end()); }).listen(${port}, '127.0.0.1', () => console.log('ready'))`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((ready) => sink.stdout.once('data', ready));
  return { url: `http://127.0.0.1:${port}`, process: sink };
}

/** otp.v1.verify straight over NATS: 64 requests in flight, distinct members and steps. */
async function rpcVerify(
  env: Record<string, string>,
  members: { memberId: string; secret: string }[],
  s: number,
): Promise<Row> {
  const nc = await connect({ servers: env.NATS_URL });
  const codec = JSONCodec<unknown>();
  const jobs = [0, 1].flatMap((k) =>
    members
      .filter((m) => unambiguous(m, s))
      .map((m) => ({ memberId: m.memberId, code: totpReference(base32Decode(m.secret), (s + k) * 30) })),
  );
  const latencies: number[] = [];
  let refused = 0;
  /** The refusals by error code, for the row's note: a refusal here is a fault of the run. */
  const refusals = new Map<string, number>();
  let next = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const started = performance.now();
  const cpuBefore = cpuOfGroups();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < jobs.length && Date.now() < deadline) {
        const job = jobs[next++];
        const t = performance.now();
        const reply = await nc.request(
          `${env.NATS_SUBJECT_PREFIX}${OtpRpc.verify.subject}`,
          codec.encode({ pattern: OtpRpc.verify.subject, data: job, id: randomUUID() }),
          {
            timeout: 5000,
            headers: natsHeaders(),
          },
        );
        latencies.push(performance.now() - t);
        const { err } = codec.decode(reply.data) as { err?: { code?: string } };
        if (err) {
          refused += 1;
          refusals.set(String(err.code), (refusals.get(String(err.code)) ?? 0) + 1);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = cpuOfGroups();
  await nc.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    path: 'otp.v1.verify alone over NATS (no HTTP)',
    cpuUs: cpuPerRequest(cpuBefore, cpuAfter, latencies.length),
    rate: Math.round(latencies.length / seconds),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    non2xx: refused,
    ...(refused ? { note: `refused: ${[...refusals].map(([code, n]) => `${n} ${code}`).join(', ')}` } : {}),
    errors: 0,
  };
}

function keystonePassword(login: string, password: string, project?: string) {
  return {
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: login, domain: { name: 'Default' }, password } },
      },
      ...(project ? { scope: { project: { name: project, domain: { name: 'Default' } } } } : {}),
    },
  };
}

/**
 * A set-up request on a connection of its own: the stack's readiness poll left a keep-alive
 * socket in fetch's pool, and after the minute or more of seeding and load that socket can be
 * closed by the gateway just as it is reused ("other side closed").
 */
function post(
  url: string,
  body: unknown,
  agent: Agent | false = false,
): Promise<{ body: any; token: string }> {
  const payload = JSON.stringify(body);
  return new Promise((done, fail) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          if ((res.statusCode ?? 500) >= 300) {
            fail(new Error(`POST ${new URL(url).pathname}: ${res.statusCode} ${text.slice(0, 200)}`));
            return;
          }
          done({ body: JSON.parse(text), token: String(res.headers['x-subject-token'] ?? '') });
        });
      },
    );
    req.on('error', fail);
    req.end(payload);
  });
}

function base32(bytes: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

function print(
  rows: Row[],
  info: { startSeconds: number; seedSeconds: number; idleRss: Record<string, number> },
): void {
  const pad = (v: string, n: number) => v.padEnd(n);
  process.stdout.write(
    `\n${pad('path', 70)} ${pad('req/s', 8)} ${pad('p50 ms', 8)} ${pad('p99 ms', 8)} ${pad('non-2xx', 8)} ${pad('× base', 8)} p99 @ ½ rate\n`,
  );
  for (const r of rows) {
    process.stdout.write(
      `${pad(r.path, 70)} ${pad(String(r.rate), 8)} ${pad(r.p50Ms.toFixed(1), 8)} ${pad(r.p99Ms.toFixed(1), 8)} ${pad(String(r.non2xx + r.errors), 8)} ${pad(r.ratio === undefined ? '' : `${(r.ratio * 100).toFixed(1)} %`, 8)} ${r.halfRateP99Ms === undefined ? '' : `${r.halfRateP99Ms} ms at ${r.halfRate}/s (p50 ${r.halfRateP50Ms} ms)`}${r.note ? `  (${r.note})` : ''}\n`,
    );
  }
  process.stdout.write(
    `\nStack ready in ${info.startSeconds.toFixed(1)} s; seeding ${info.seedSeconds.toFixed(1)} s; idle RSS ${Object.entries(
      info.idleRss,
    )
      .map(([n, mb]) => `${n} ${mb} MB`)
      .join(', ')}\n`,
  );
  const columns = ['gateway', 'otp-service', 'account-service', 'postgres', 'redis-server', 'nats-server'];
  const load = ['wrk', 'bench', 'baseline'];
  process.stdout.write(
    `\nCPU time per request, µs (both cores, every process on the machine; "load" is wrk or the bench's NATS client)\n${pad('path', 70)} ${[...columns, 'load', 'other', 'total'].map((c) => pad(c.replace('-service', ''), 9)).join(' ')}\n`,
  );
  for (const r of rows) {
    if (!r.cpuUs) continue;
    const cpu = r.cpuUs;
    const sum = (names: string[]) => names.reduce((total, n) => total + (cpu[n] ?? 0), 0);
    const total = sum(Object.keys(cpu));
    const other = total - sum(columns) - sum(load);
    process.stdout.write(
      `${pad(r.path, 70)} ${[...columns.map((c) => cpu[c] ?? 0), sum(load), other, total].map((v) => pad(String(v), 9)).join(' ')}\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
