import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  base32Decode,
  eventually,
  NatsCluster,
  PrivatePostgres,
  RedisCluster,
  type SmtpCatcher,
  startSmtpCatcher,
  totpReference,
} from '@twofold/testing';
import { ROOT_DIR, type RunningStack, startStack } from './support';

/**
 * Faults under load. The whole stack runs as processes (two otp-service instances, supervised as
 * `npm start` supervises them) on infrastructure of this suite's own: a Redis Cluster of 3
 * masters and 3 replicas, a 3-node NATS cluster, a PostgreSQL server and an SMTP server, all on
 * loopback. An open-loop load of FAULTS_RATE second-factor sign-ins a second (valid codes, wrong
 * codes, replays of accepted codes, and the same code sent twice at once) runs while one thing
 * breaks; then every code accepted during the run is sent again and must be refused as already
 * used. The figures go to test-artifacts/faults.json and the output. Bounded: each run is
 * seconds long, the suite stops by itself.
 */
jest.setTimeout(120_000);

const RATE = Number(process.env.FAULTS_RATE ?? 300);
const RUN_MS = 10_000;
const FAULT_AT_MS = 3_000;
/** Back to the full rate of successful sign-ins within this long of the fault. */
const RECOVERY_LIMIT_MS = 5_000;
const BIN_MS = 250;
/**
 * Requests sent until NATS (or the gateway) reads a killed process's connection end were in flight
 * to it: a few ms on loopback, up to 111 ms seen on two loaded cores.
 */
const IN_FLIGHT_GRACE_MS = BIN_MS;
const PASSWORD = 'correct horse battery staple';

interface Member {
  accountId: string;
  accountName: string;
  memberId: string;
  login: string;
  email: string;
  secret: string;
  /** Three MFA tokens: the sign-in, a replay or race under load, the replay after the run. */
  tokens: string[];
}

type Kind = 'valid' | 'wrong' | 'replay' | 'race';

interface Sent {
  kind: Kind;
  member: Member;
  code: string;
  start: number;
  end: number;
  /** HTTP status, or 0 for a request that got no answer (socket error, timeout). */
  status: number;
  error?: string;
}

interface Figures {
  fault: string;
  rate: number;
  sent: number;
  accepted: number;
  /** Answers other than the expected ones: 5xx, no answer. */
  errors: number;
  /** Of the errors, those of requests in flight at the fault (started before it, or within IN_FLIGHT_GRACE_MS). */
  errorsInFlight: number;
  /** A wrong code or a replay accepted, or both of two racing requests with one code. */
  falseAccepts: number;
  /** A valid, unused code refused (401). */
  falseRejects: number;
  /** From the fault until the last 250 ms bin of requests with an error (0: none). */
  recoveryMs: number;
  /** Successful sign-ins a second after recovery. */
  rateAfter: number;
  /** Codes accepted during the run, each sent again after it and refused as already used. */
  replaysRefused: number;
  /** When the failed requests started, from the fault (ms), and the longest any took to fail. */
  errorStartsMs?: [number, number];
  slowestErrorMs?: number;
  notes?: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function post(url: string, body: unknown, timeoutMs = 10_000): Promise<{ status: number; body: any }> {
  return new Promise((resolve) => {
    const payload = JSON.stringify(body);
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let parsed: any;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', (error) => resolve({ status: 0, body: { error: { code: error.message } } }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ status: 0, body: { error: { code: error.code ?? error.message } } }),
    );
    req.end(payload);
  });
}

const codeNow = (m: Member, offsetSteps = 0) =>
  totpReference(base32Decode(m.secret), Date.now() / 1000 + offsetSteps * 30);
/** A code the member's authenticator shows at no step near now. */
const wrongCode = (m: Member) => {
  const near = new Set([-2, -1, 0, 1, 2].map((k) => codeNow(m, k)));
  let code: string;
  do code = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
  while (near.has(code));
  return code;
};

describe('faults under load', () => {
  let postgres: PrivatePostgres;
  let redis: RedisCluster;
  let nats: NatsCluster;
  let smtp: SmtpCatcher;
  let smtpPort: number;
  let running: RunningStack;
  let mfaUrl: string;
  const reports: string[] = [];
  const members: Member[] = [];
  let next = 0;
  const results: Figures[] = [];

  beforeAll(async () => {
    [postgres, redis, nats, smtp] = await Promise.all([
      PrivatePostgres.start(),
      RedisCluster.start(3, 1),
      NatsCluster.start(3),
      startSmtpCatcher(),
    ]);
    smtpPort = Number(new URL(smtp.url).port);
    running = await startStack('faults', {
      otpServiceInstances: 2,
      supervise: { report: (line) => reports.push(line) },
      env: {
        LOG_LEVEL: process.env.FAULTS_LOG_LEVEL ?? 'warn',
        DATABASE_URL: postgres.url,
        REDIS_CLUSTER_NODES: redis.nodeList,
        NATS_URL: nats.url,
        SMTP_URL: smtp.url,
        // The load comes from one address, and its members' tokens must last the suite.
        AUTH_RATE_LIMIT_PER_MINUTE: '100000000',
        PASSWORD_RESET_RATE_LIMIT_PER_MINUTE: '100000',
        MFA_TOKEN_TTL_SECONDS: '1800',
        // The steady state: masters confirm by WAIT five seconds after they are first seen, not
        // four minutes (the default, for as long as a code lives), so that the runs measure the
        // path of a long-running process, and the failover the WAIT path across it.
        OTP_ACCEPT_NEW_MASTER_SECONDS: '5',
      },
    });
    mfaUrl = `${running.stack.gatewayUrl}/api/v1/auth/mfa`;
    await seed(Math.ceil(RATE * (RUN_MS / 1000) * 8 * 1.2));
    // Bounded by progress (see runSeed), not by this hook's clock, which a busy machine outruns.
  }, 3_600_000);

  afterAll(async () => {
    agent.destroy();
    await running?.close().catch(() => undefined);
    postgres?.close();
    await Promise.all([redis?.close(), nats?.close(), smtp?.close()]);
    if (results.length > 0) {
      mkdirSync(join(ROOT_DIR, 'test-artifacts'), { recursive: true });
      writeFileSync(join(ROOT_DIR, 'test-artifacts', 'faults.json'), `${JSON.stringify(results, null, 2)}\n`);
      process.stdout.write(
        `Faults under load (${RATE} sign-ins/s offered):\n${results
          .map(
            (r) =>
              `  ${r.fault}: ${r.sent} sent, ${r.accepted} accepted, ${r.errors} errors (${r.errorsInFlight} in flight), ` +
              `${r.falseAccepts} false accepts, ${r.falseRejects} false rejects, recovered in ${r.recoveryMs} ms, ` +
              `${r.rateAfter}/s after, ${r.replaysRefused} replays refused` +
              `${r.errorStartsMs ? `; errors started ${r.errorStartsMs.join('…')} ms from the fault, slowest ${r.slowestErrorMs} ms` : ''}` +
              `${r.notes ? `; ${r.notes}` : ''}`,
          )
          .join('\n')}\n`,
      );
    }
  });

  /** Members with 2FA through each service's bulk path, and three MFA tokens each through the gateway's. */
  async function seed(count: number): Promise<void> {
    const work = mkdtempSync(join(tmpdir(), 'twofold-faults-'));
    try {
      const fresh = Array.from({ length: count }, (_, i) => ({
        accountId: randomUUID(),
        accountName: `Faults ${i}`,
        memberId: randomUUID(),
        login: `faults-${i}`,
        email: `faults-${i}@example.com`,
        secret: base32(randomBytes(20)),
      }));
      writeFileSync(join(work, 'accounts.json'), JSON.stringify({ password: PASSWORD, members: fresh }));
      writeFileSync(join(work, 'credentials.json'), JSON.stringify({ members: fresh }));
      writeFileSync(
        join(work, 'pending.json'),
        JSON.stringify(
          fresh.map((m) => ({
            user: { id: m.memberId, login: m.login, email: m.email, roles: ['owner'] },
            account: { id: m.accountId, name: m.accountName },
          })),
        ),
      );
      const env = { ...process.env, ...running.stack.options.env };
      await runSeed('apps/account-service/dist/seed.js', [join(work, 'accounts.json')], env);
      await runSeed('apps/otp-service/dist/seed.js', [join(work, 'credentials.json')], env);
      await runSeed(
        'apps/gateway/dist/seed-pending.js',
        [join(work, 'pending.json'), '3', join(work, 'tokens.json')],
        env,
      );
      const tokens = JSON.parse(readFileSync(join(work, 'tokens.json'), 'utf8')) as string[][];
      fresh.forEach((m, i) => members.push({ ...m, tokens: tokens[i] }));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  /** A seed script prints a line per batch; it fails only when a batch takes longer than STALL_MS. */
  function runSeed(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
    const STALL_MS = 60_000;
    return new Promise((done, fail) => {
      const child = spawn(process.execPath, [join(ROOT_DIR, script), ...args], {
        env,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let stalled = setTimeout(stall, STALL_MS);
      function stall(): void {
        child.kill('SIGKILL');
        fail(new Error(`${script} made no progress for ${STALL_MS / 1000} s`));
      }
      child.stdout.on('data', () => {
        clearTimeout(stalled);
        stalled = setTimeout(stall, STALL_MS);
      });
      child.once('exit', (code) => {
        clearTimeout(stalled);
        if (code === 0) done();
        else fail(new Error(`${script} exited with ${code}`));
      });
    });
  }

  const take = (): Member => {
    if (next >= members.length) throw new Error('the suite ran out of seeded members');
    return members[(next += 1) - 1];
  };

  /**
   * RUN_MS of load at RATE, with `fault` started FAULT_AT_MS in (it returns the moment the fault
   * began, and may go on, e.g. to bring a node back, while the load runs).
   */
  async function underLoad(
    name: string,
    fault: () => number | Promise<number>,
    runMs = RUN_MS,
    inFlightGraceMs = IN_FLIGHT_GRACE_MS,
  ): Promise<Figures> {
    const sent: Promise<Sent>[] = [];
    const accepted: Sent[] = [];
    const replayable: Sent[] = [];
    const send = (kind: Kind, member: Member, code: string, token: number): Promise<Sent> => {
      const start = Date.now();
      const done = post(mfaUrl, { mfaToken: member.tokens[token], code }).then(({ status, body }) => {
        const result: Sent = { kind, member, code, start, end: Date.now(), status, error: body?.error?.code };
        if (status === 200) {
          accepted.push(result);
          if (kind === 'valid') replayable.push(result);
        }
        return result;
      });
      sent.push(done);
      return done;
    };
    const sendOne = () => {
      const r = Math.random();
      if (r < 0.06 && replayable.length > 0) {
        const earlier = replayable.splice(Math.floor(Math.random() * replayable.length), 1)[0];
        void send('replay', earlier.member, earlier.code, 1);
      } else if (r < 0.12) {
        const member = take();
        const code = codeNow(member);
        void send('race', member, code, 0);
        void send('race', member, code, 1);
      } else if (r < 0.2) {
        const member = take();
        void send('wrong', member, wrongCode(member), 0);
      } else {
        const member = take();
        void send('valid', member, codeNow(member), 0);
      }
    };
    const began = Date.now();
    let issued = 0;
    let faultAt = Number.NaN;
    let faultDone: Promise<void> | undefined;
    await new Promise<void>((finish) => {
      const tick = setInterval(() => {
        const elapsed = Date.now() - began;
        if (elapsed >= runMs) {
          clearInterval(tick);
          finish();
          return;
        }
        if (faultDone === undefined && elapsed >= FAULT_AT_MS)
          faultDone = Promise.resolve(fault()).then((at) => {
            faultAt = at;
          });
        const due = Math.floor((elapsed * RATE) / 1000);
        for (; issued < due; issued += 1) sendOne();
      }, 10);
    });
    const all = await Promise.all(sent);
    await faultDone;

    // Every code accepted during the run, sent again now: refused as already used.
    const refusals: Sent[] = [];
    for (let i = 0; i < accepted.length; i += 100)
      refusals.push(
        ...(await Promise.all(
          accepted.slice(i, i + 100).map(async (a) => {
            const start = Date.now();
            const { status, body } = await post(mfaUrl, { mfaToken: a.member.tokens[2], code: a.code });
            const again: Sent = { ...a, start, end: Date.now(), status, error: body?.error?.code };
            return again;
          }),
        )),
      );

    const isError = (s: Sent) => s.status === 0 || s.status >= 500;
    const errors = all.filter(isError);
    const raced = new Map<string, Sent[]>();
    for (const s of all.filter((x) => x.kind === 'race'))
      raced.set(s.member.memberId, [...(raced.get(s.member.memberId) ?? []), s]);
    const falseAccepts =
      all.filter((s) => (s.kind === 'wrong' || s.kind === 'replay') && s.status === 200).length +
      [...raced.values()].filter((pair) => pair.filter((s) => s.status === 200).length > 1).length +
      refusals.filter((s) => s.status === 200).length;
    const lastBad = Math.max(
      faultAt,
      ...errors
        .filter((s) => s.start >= faultAt)
        .map((s) => faultAt + Math.ceil((s.start - faultAt + 1) / BIN_MS) * BIN_MS),
    );
    const afterRecovery = all.filter((s) => s.start >= lastBad && s.status === 200 && s.kind !== 'race');
    const windowS = Math.max(0.001, (began + runMs - lastBad) / 1000);
    const figures: Figures = {
      fault: name,
      rate: RATE,
      sent: all.length,
      accepted: accepted.length,
      errors: errors.length,
      errorsInFlight: errors.filter((s) => s.start < faultAt + inFlightGraceMs).length,
      falseAccepts,
      falseRejects: all.filter((s) => s.kind === 'valid' && s.status === 401).length,
      recoveryMs: lastBad - faultAt,
      rateAfter: Math.round(afterRecovery.length / windowS),
      replaysRefused: refusals.filter((s) => s.status === 401 && s.error === 'code_already_used').length,
    };
    if (errors.length > 0) {
      figures.errorStartsMs = [
        Math.min(...errors.map((e) => e.start - faultAt)),
        Math.max(...errors.map((e) => e.start - faultAt)),
      ];
      figures.slowestErrorMs = Math.max(...errors.map((e) => e.end - e.start));
    }
    const unexpected = [...all, ...refusals].filter((s) => s.status !== 200 && s.status !== 401);
    if (unexpected.length > 0) {
      const byAnswer = new Map<string, number>();
      for (const s of unexpected) {
        const key = `${s.status} ${s.error ?? ''}`.trim();
        byAnswer.set(key, (byAnswer.get(key) ?? 0) + 1);
      }
      figures.notes = [...byAnswer].map(([k, n]) => `${n} × ${k}`).join(', ');
    }
    results.push(figures);
    // A refusal of a replay for another reason than the replay would hide a weakness.
    const otherRefusals = refusals.filter((s) => !(s.status === 401 && s.error === 'code_already_used'));
    expect(otherRefusals.map((s) => `${s.status} ${s.error}`)).toEqual([]);
    return figures;
  }

  /** The rate of successful sign-ins the load reaches without a fault: the reference for "full rate". */
  const fullRate = () => results.find((r) => r.fault === 'none')?.rateAfter ?? RATE * 0.8;

  it('runs the load without a fault: no errors, every sign-in answered', async () => {
    const figures = await underLoad('none', () => Date.now(), 5_000);

    expect(figures.errors).toBe(0);
    expect(figures.falseAccepts).toBe(0);
    expect(figures.falseRejects).toBe(0);
    expect(figures.replaysRefused).toBe(figures.accepted);
    expect(figures.rateAfter).toBeGreaterThan(RATE * 0.7);
  });

  it('kill -9 of one otp-service: errors only for requests in flight, full rate within 5 s, the supervisor restarts it', async () => {
    const victim = running.stack.otpServices[1];
    const pid = victim.pid;
    const figures = await underLoad('kill -9 one otp-service', () => {
      const at = Date.now();
      process.kill(pid!, 'SIGKILL');
      return at;
    });

    expect(figures.falseAccepts).toBe(0);
    expect(figures.falseRejects).toBe(0);
    expect(figures.errors).toBe(figures.errorsInFlight);
    expect(figures.recoveryMs).toBeLessThanOrEqual(RECOVERY_LIMIT_MS);
    expect(figures.rateAfter).toBeGreaterThan(fullRate() * 0.9);
    expect(figures.replaysRefused).toBe(figures.accepted);
    await eventually(() => (victim.running && victim.pid !== pid ? true : undefined), 20_000, 'the restart');
    expect(reports.join('\n')).toMatch(/otp-service-2 exited \(signal SIGKILL\); restarting it/);
    await victim.waitReady();
  });

  it('SIGTERM of one otp-service drains it: not one request fails', async () => {
    const victim = running.stack.otpServices[1];
    let stopped: Promise<unknown> | undefined;
    const figures = await underLoad('SIGTERM one otp-service', () => {
      const at = Date.now();
      stopped = victim.stop('SIGTERM');
      return at;
    });
    await stopped;

    expect(figures.errors).toBe(0);
    expect(figures.falseAccepts).toBe(0);
    expect(figures.falseRejects).toBe(0);
    expect(figures.replaysRefused).toBe(figures.accepted);
    await victim.start();
  });

  it('kill of the NATS node the gateway is connected to: clients move to the survivors, in-flight requests fail fast, full rate within 5 s', async () => {
    let node = -1;
    for (let i = 0; i < 3 && node < 0; i += 1)
      if ((await nats.clientsOf(i)).some((name) => name.startsWith('gateway'))) node = i;
    expect(node).toBeGreaterThanOrEqual(0);
    const figures = await underLoad('kill a NATS node', async () => {
      const at = Date.now();
      await nats.kill(node);
      return at;
    });
    await nats.start(node);

    expect(figures.errors).toBe(figures.errorsInFlight);
    expect(figures.slowestErrorMs ?? 0).toBeLessThan(1_000);
    expect(figures.falseAccepts).toBe(0);
    expect(figures.falseRejects).toBe(0);
    expect(figures.recoveryMs).toBeLessThanOrEqual(RECOVERY_LIMIT_MS);
    expect(figures.rateAfter).toBeGreaterThan(fullRate() * 0.9);
    expect(figures.replaysRefused).toBe(figures.accepted);
  });

  it('fail-over of a Redis master: the replica takes over and no code is accepted twice across it', async () => {
    let master = -1;
    for (const port of redis.ports) if (master < 0 && (await redis.isMaster(port))) master = port;
    const figures = await underLoad(
      'fail over a Redis master',
      async () => {
        const at = Date.now();
        await redis.kill(master);
        return at;
      },
      14_000,
    );
    // The old master comes back as a replica of the promoted one.
    await redis.start(master);
    await redis.healthy();

    expect(figures.falseAccepts).toBe(0);
    expect(figures.falseRejects).toBe(0);
    expect(figures.replaysRefused).toBe(figures.accepted);
    expect(figures.rateAfter).toBeGreaterThan(fullRate() * 0.9);
  });

  it('restart of PostgreSQL: sign-ins go on or fail cleanly, and changes work again once it is back', async () => {
    const figures = await underLoad('restart PostgreSQL', async () => {
      const at = Date.now();
      postgres.stop();
      await new Promise((r) => setTimeout(r, 2_000));
      await postgres.start();
      return at;
    });

    expect(figures.falseAccepts).toBe(0);
    expect(figures.falseRejects).toBe(0);
    expect(figures.replaysRefused).toBe(figures.accepted);
    expect(figures.rateAfter).toBeGreaterThan(fullRate() * 0.9);
    // A request whose work goes through both services' schemas and the queue once it is back.
    // Each replay the load made is e-mailed as an alert: thousands wait on the queue, and the
    // reset link (someone waits for it) goes before them.
    const member = take();
    const asked = Date.now();
    const res = await post(`${running.stack.gatewayUrl}/api/v1/auth/password-reset`, { login: member.login });
    expect(res.status).toBe(202);
    await eventually(
      () => (smtp.mails.some((m) => m.to.includes(member.email)) ? true : undefined),
      20_000,
      'the reset e-mail',
    );
    figures.notes = `a password-reset e-mail asked for after the restart arrived in ${Math.round((Date.now() - asked) / 100) / 10} s`;
  });

  it('SMTP down for a while: each e-mail is sent once when it is back', async () => {
    // Counted once closed: e-mails of earlier tests still in flight are delivered while it closes.
    await smtp.close();
    const before = smtp.mails.length;
    const resets = Array.from({ length: 20 }, () => take());
    for (const member of resets) {
      const res = await post(`${running.stack.gatewayUrl}/api/v1/auth/password-reset`, {
        login: member.login,
      });
      expect(res.status).toBe(202);
    }
    await new Promise((r) => setTimeout(r, 8_000));
    expect(smtp.mails.length).toBe(before);
    smtp = await startSmtpCatcher(smtpPort);
    const downFor = Date.now();

    await eventually(
      () => (resets.every((m) => smtp.mails.some((mail) => mail.to.includes(m.email))) ? true : undefined),
      90_000,
      'every e-mail after the outage',
    );
    const deliveredIn = Date.now() - downFor;
    // Late duplicates would come with the next retries: wait past one more back-off.
    await new Promise((r) => setTimeout(r, 5_000));
    const counts = resets.map((m) => smtp.mails.filter((mail) => mail.to.includes(m.email)).length);
    expect(counts).toEqual(resets.map(() => 1));
    results.push({
      fault: 'SMTP down 8 s',
      rate: 0,
      sent: resets.length,
      accepted: resets.length,
      errors: 0,
      errorsInFlight: 0,
      falseAccepts: 0,
      falseRejects: 0,
      recoveryMs: deliveredIn,
      rateAfter: 0,
      replaysRefused: 0,
      notes: `${resets.length} e-mails, each delivered once, all within ${Math.round(deliveredIn / 100) / 10} s of SMTP's return`,
    });
  });

  it('SIGTERM of the gateway drains it: every request it took in is answered', async () => {
    const gateway = running.stack.services.gateway;
    let downMs = 0;
    const figures = await underLoad(
      'SIGTERM the gateway (back after 1 s)',
      async () => {
        const at = Date.now();
        await gateway.stop('SIGTERM');
        await new Promise((r) => setTimeout(r, 1_000));
        await gateway.start();
        downMs = Date.now() - at;
        return at;
      },
      RUN_MS,
      0,
    );

    // Taken in before the signal: answered. Sent while it was down: refused connections.
    expect(figures.errorsInFlight).toBe(0);
    expect(figures.falseAccepts).toBe(0);
    expect(figures.falseRejects).toBe(0);
    expect(figures.recoveryMs).toBeLessThanOrEqual(downMs + BIN_MS);
    expect(figures.replaysRefused).toBe(figures.accepted);
  });
});

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
