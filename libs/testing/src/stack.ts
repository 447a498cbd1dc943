import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { eventually } from './isolation';

export type ServiceName = 'account-service' | 'otp-service' | 'gateway';

export const PORT_VARIABLE: Record<ServiceName, string> = {
  'account-service': 'ACCOUNT_SERVICE_PORT',
  'otp-service': 'OTP_SERVICE_PORT',
  gateway: 'GATEWAY_PORT',
};

export interface ServiceProcessOptions {
  name: ServiceName;
  rootDir: string;
  port: number;
  env: Record<string, string>;
  logFile?: string;
  onLine?: (line: string) => void;
  readyTimeoutMs?: number;
  /** E.g. --cpu-prof, which NODE_OPTIONS may not carry. */
  nodeArgs?: string[];
  onUnexpectedExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

/** Longer than a service's own bound on stopping (SHUTDOWN_LIMIT_MS, 20 s). */
const STOP_LIMIT_MS = 30_000;

export class ServiceProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;
  private stopping = false;
  private log: WriteStream | undefined;
  private readonly tail: string[] = [];

  constructor(readonly options: ServiceProcessOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  recentOutput(): string {
    return this.tail.join('\n');
  }

  async start(): Promise<void> {
    const { name, rootDir, port, env } = this.options;
    if (this.options.logFile && !this.log) {
      mkdirSync(join(this.options.logFile, '..'), { recursive: true });
      this.log = createWriteStream(this.options.logFile, { flags: 'a' });
    }
    const child = spawn(
      process.execPath,
      [...(this.options.nodeArgs ?? []), join(rootDir, 'apps', name, 'dist', 'main.js')],
      {
        cwd: rootDir,
        env: { PATH: process.env.PATH ?? '', TZ: 'UTC', ...env, [PORT_VARIABLE[name]]: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    this.stopping = false;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        if (!this.stopping) this.options.onUnexpectedExit?.(code, signal);
        resolve(code);
      }),
    );
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => this.record(line));
    }
    const exitedEarly = this.exited.then((code) => {
      throw new Error(`${name} exited with code ${code} while starting.\n${this.recentOutput()}`);
    });
    await Promise.race([this.waitReady(), exitedEarly]);
    exitedEarly.catch(() => undefined);
  }

  waitReady(timeoutMs = this.options.readyTimeoutMs ?? 20_000): Promise<true> {
    return eventually(
      async () =>
        (await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(2000) })).ok ? true : undefined,
      timeoutMs,
      `${this.options.name} to become ready`,
    );
  }

  /** Sends a signal (SIGTERM: graceful; SIGKILL: a crash) and waits for the process to exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (!this.child || !this.exited) return null;
    this.stopping = true;
    const child = this.child;
    if (this.running) child.kill(signal);
    // A process that does not stop in time is killed: a test never hangs on its way out.
    const killer = setTimeout(() => child.kill('SIGKILL'), STOP_LIMIT_MS);
    const code = await this.exited;
    clearTimeout(killer);
    this.child = undefined;
    return code;
  }

  async waitForExit(): Promise<number | null> {
    return this.exited ?? null;
  }

  async close(): Promise<void> {
    await this.stop();
    await new Promise<void>((resolve) => (this.log ? this.log.end(resolve) : resolve()));
    this.log = undefined;
  }

  private record(line: string): void {
    this.tail.push(line);
    if (this.tail.length > 40) this.tail.shift();
    this.log?.write(`${line}\n`);
    this.options.onLine?.(line);
  }
}

export interface StackOptions {
  rootDir: string;
  env: Record<string, string>;
  ports: Record<ServiceName, number>;
  extraOtpServicePorts?: number[];
  extraGatewayPorts?: number[];
  gatewayMetricsPorts?: number[];
  logDir?: string;
  onLine?: (service: ServiceName, line: string) => void;
  nodeArgs?: string[];
  /** Restart a process that ends unasked (as `npm start` does), with a doubling back-off. */
  supervise?: { report: (line: string) => void };
}

const RESTART_FIRST_MS = 500;
const RESTART_MAX_MS = 30_000;
const RESTART_RESET_AFTER_MS = 60_000;

/** The services first, the gateway once they are ready. */
export class Stack {
  readonly services: Record<ServiceName, ServiceProcess>;
  readonly otpServices: ServiceProcess[];
  readonly gateways: ServiceProcess[];

  constructor(readonly options: StackOptions) {
    // Links and passkeys' site: the (first) gateway by name, as browsers refuse an address as a site.
    const env = { PUBLIC_URL: `http://localhost:${options.ports.gateway}`, ...options.env };
    const make = (name: ServiceName, port = options.ports[name], instance = 0): ServiceProcess => {
      const label = `${name}${instance ? `-${instance + 1}` : ''}`;
      const restarts = { delay: RESTART_FIRST_MS, startedAt: Date.now() };
      const service: ServiceProcess = new ServiceProcess({
        name,
        rootDir: options.rootDir,
        port,
        ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
        env:
          name === 'gateway' && options.gatewayMetricsPorts?.[instance] !== undefined
            ? { ...env, GATEWAY_METRICS_PORT: String(options.gatewayMetricsPorts[instance]) }
            : env,
        ...(options.logDir
          ? { logFile: join(options.logDir, `${name}${instance ? `-${instance + 1}` : ''}.log`) }
          : {}),
        ...(options.onLine ? { onLine: (line: string) => options.onLine?.(name, line) } : {}),
        ...(options.supervise
          ? {
              onUnexpectedExit: (code: number | null, signal: NodeJS.Signals | null) =>
                this.restart(service, label, restarts, code, signal),
            }
          : {}),
      });
      return service;
    };
    this.services = {
      'account-service': make('account-service'),
      'otp-service': make('otp-service'),
      gateway: make('gateway'),
    };
    this.otpServices = [
      this.services['otp-service'],
      ...(options.extraOtpServicePorts ?? []).map((port, i) => make('otp-service', port, i + 1)),
    ];
    this.gateways = [
      this.services.gateway,
      ...(options.extraGatewayPorts ?? []).map((port, i) => make('gateway', port, i + 1)),
    ];
  }

  /** Where links and passkeys point (PUBLIC_URL): the gateway by name, unless the environment says otherwise. */
  get publicUrl(): string {
    return this.services.gateway.options.env.PUBLIC_URL;
  }

  get gatewayUrl(): string {
    return this.services.gateway.url;
  }

  async start(): Promise<void> {
    try {
      // The two services migrate different schemas and may start side by side.
      await Promise.all([
        this.services['account-service'].start(),
        ...this.otpServices.map((s) => s.start()),
      ]);
      await Promise.all(this.gateways.map((g) => g.start()));
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  private restart(
    service: ServiceProcess,
    label: string,
    restarts: { delay: number; startedAt: number },
    code: number | null,
    signal: NodeJS.Signals | null,
  ): void {
    if (this.stopped) return;
    if (Date.now() - restarts.startedAt >= RESTART_RESET_AFTER_MS) restarts.delay = RESTART_FIRST_MS;
    const wait = restarts.delay;
    restarts.delay = Math.min(restarts.delay * 2, RESTART_MAX_MS);
    this.options.supervise?.report(
      `${label} exited (${signal ? `signal ${signal}` : `exit code ${code}`}); restarting it in ${wait / 1000} s`,
    );
    setTimeout(() => {
      if (this.stopped) return;
      restarts.startedAt = Date.now();
      service.start().then(
        () => this.options.supervise?.report(`${label} is running again (pid ${service.pid})`),
        (error: unknown) =>
          this.options.supervise?.report(
            `${label} did not start again: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
          ),
      );
    }, wait).unref();
  }

  private stopped = false;

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.gateways.map((g) => g.close()));
    await Promise.all([this.services['account-service'].close(), ...this.otpServices.map((s) => s.close())]);
  }
}
