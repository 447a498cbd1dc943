import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type CaughtMail,
  createIntegrationEnv,
  eventually,
  freePort,
  type IntegrationEnv,
  linkIn,
  readMailDir,
  type SmtpCatcher,
  Stack,
} from '@twofold/testing';

export const ROOT_DIR = resolve(__dirname, '../../..');

export interface RunningStack {
  stack: Stack;
  /** Everything the services have logged so far. */
  logs(): string;
  infra: IntegrationEnv;
  api: (path: string, init?: RequestInit & { token?: string; json?: unknown }) => Promise<ApiResponse>;
  close(): Promise<void>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
  ms: number;
}

/** Starts the three services as separate processes from their build output, isolated for this run. */
export async function startStack(
  label: string,
  options: {
    otpServiceInstances?: number;
    gatewayInstances?: number;
    env?: Record<string, string>;
    /** Restart a process that ends by itself, as `npm start` does (see StackOptions.supervise). */
    supervise?: { report: (line: string) => void };
  } = {},
): Promise<RunningStack> {
  for (const app of ['gateway', 'otp-service', 'account-service']) {
    if (!existsSync(join(ROOT_DIR, 'apps', app, 'dist', 'main.js'))) {
      throw new Error(`apps/${app} is not built: run \`npm run build\` before the end-to-end tests`);
    }
  }
  const infra = await createIntegrationEnv(label);
  const logDir = join(ROOT_DIR, 'test-artifacts', 'logs', `${label}-${infra.prefix.replace(/:$/, '')}`);
  const stack = new Stack({
    rootDir: ROOT_DIR,
    // Logs on, as in production: the tests also check that nothing secret reaches them.
    env: { ...infra.env, LOG_LEVEL: 'info', ...options.env },
    ports: {
      gateway: await freePort(),
      'otp-service': await freePort(),
      'account-service': await freePort(),
    },
    extraGatewayPorts: await Promise.all(
      Array.from({ length: (options.gatewayInstances ?? 1) - 1 }, () => freePort()),
    ),
    gatewayMetricsPorts: await Promise.all(
      Array.from({ length: options.gatewayInstances ?? 1 }, () => freePort()),
    ),
    extraOtpServicePorts: await Promise.all(
      Array.from({ length: (options.otpServiceInstances ?? 1) - 1 }, () => freePort()),
    ),
    logDir,
    ...(options.supervise ? { supervise: options.supervise } : {}),
  });
  await stack.start();
  const api: RunningStack['api'] = async (path, init = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    const started = Date.now();
    const res = await fetch(`${stack.gatewayUrl}${path}`, {
      ...init,
      headers,
      body,
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed, ms: Date.now() - started };
  };
  return {
    stack,
    logs: () =>
      readdirSync(logDir)
        .map((f) => readFileSync(join(logDir, f), 'utf8'))
        .join('\n'),
    infra,
    api,
    close: async () => {
      await stack.stop();
      await infra.cleanup();
    },
  };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `npm run admin -- …` against a running stack, as an operator runs it: the README's command
 * itself (npm, the build of the CLI, the CLI), on the stack's NATS. A `--json` call runs it as
 * scripts do, `npm run -s admin -- … --json`, so that npm's banner leaves standard output alone.
 */
export function operatorCli(
  running: RunningStack,
  args: string[],
  input = '',
  env: Record<string, string> = {},
): Promise<CliRun> {
  return new Promise((done) => {
    const npm = ['run', ...(args.includes('--json') ? ['-s'] : []), 'admin', '--', ...args];
    const child = spawn('npm', npm, {
      cwd: ROOT_DIR,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NATS_URL: running.infra.env.NATS_URL,
        NATS_SUBJECT_PREFIX: running.infra.env.NATS_SUBJECT_PREFIX,
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => done({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/**
 * Opens the link that proves `email` (the first e-mail to a new account or member carries it), as
 * its owner would: security links go only to a proven address.
 */
export async function confirmAddress(running: RunningStack, smtp: SmtpCatcher, email: string): Promise<void> {
  const link = await eventually(
    () => {
      const mail = smtp.mails.find((m) => m.to.includes(email) && linkIn(m, 'verify-email'));
      return mail ? linkIn(mail, 'verify-email') : undefined;
    },
    20_000,
    `the e-mail to ${email} that confirms it`,
  );
  const res = await running.api('/api/v1/security/verify-email', {
    method: 'POST',
    json: { token: link.token },
    headers: { 'x-forwarded-for': `198.18.200.${1 + Math.floor(Math.random() * 254)}` },
  });
  if (res.status !== 200) throw new Error(`confirming ${email}: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * Adds a member as an owner or admin does. One who is not ops-only is invited, and accepts its
 * invitation with `member.password` as the invitee does, from the link of the e-mail (in `mails`,
 * or the stack's MAIL_DIR without SMTP): nobody else chooses its password. Answers the add.
 */
export async function addMember(
  running: RunningStack,
  token: string,
  member: { login: string; email: string; password: string; roles: readonly string[] },
  options: { mails?: () => CaughtMail[]; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const automation = member.roles.every((role) => role === 'ops');
  const { password, ...invited } = member;
  const added = await running.api('/api/v1/account/members', {
    method: 'POST',
    token,
    json: automation ? member : invited,
    ...(options.headers ? { headers: options.headers } : {}),
  });
  if (automation || added.status !== 201) return added;
  const mails = options.mails ?? (() => readMailDir(running.infra.env.MAIL_DIR));
  const link = await eventually(
    () => {
      const mail = mails().find((m) => m.to.includes(member.email) && linkIn(m, 'invitation'));
      return mail ? linkIn(mail, 'invitation') : undefined;
    },
    20_000,
    `the invitation e-mailed to ${member.email}`,
  );
  const accepted = await running.api('/api/v1/security/accept-invitation', {
    method: 'POST',
    json: { token: link.token, password },
    ...(options.headers ? { headers: options.headers } : {}),
  });
  if (accepted.status !== 200) {
    throw new Error(
      `accepting ${member.login}'s invitation: ${accepted.status} ${JSON.stringify(accepted.body)}`,
    );
  }
  return added;
}
