import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { eventually } from './isolation';

export type ServiceName = 'account-service' | 'otp-service' | 'gateway';

/** Each service's HTTP port variable (probes and metrics; the gateway's is the public API). */
export const PORT_VARIABLE: Record<ServiceName, string> = {
  'account-service': 'ACCOUNT_SERVICE_PORT',
  'otp-service': 'OTP_SERVICE_PORT',
  gateway: 'GATEWAY_PORT',
};

export interface ServiceProcessOptions {
  name: ServiceName;
  /** The repository root; the service runs from its build output, apps/NAME/dist/main.js. */
  rootDir: string;
  port: number;
  env: Record<string, string>;
  /** Where each output line goes besides the in-memory tail: a file, or a callback. */
  logFile?: string;
  onLine?: (line: string) => void;
  readyTimeoutMs?: number;
  /** Options for node itself (e.g. --cpu-prof, which NODE_OPTIONS may not carry). */
  nodeArgs?: string[];
}

/** One service as a separate OS process, started from its build output like in production. */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;
  private log: WriteStream | undefined;
  private readonly tail: string[] = [];

  constructor(readonly options: ServiceProcessOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  /** The OS process id while it runs (for CPU and memory readings). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines the process wrote, for failure messages. */
  recentOutput(): string {
    return this.tail.join('\n');
  }

  /** Starts the process and resolves once its /readyz answers 200; rejects if it exits first. */
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
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => this.record(line));
    }
    const exitedEarly = this.exited.then((code) => {
      throw new Error(`${name} exited with code ${code} while starting.\n${this.recentOutput()}`);
    });
    await Promise.race([this.waitReady(), exitedEarly]);
    exitedEarly.catch(() => undefined);
  }

  /** Resolves once /readyz answers 200. */
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
    if (this.running) this.child.kill(signal);
    const code = await this.exited;
    this.child = undefined;
    return code;
  }

  /** Waits for the process to end by itself (used when it is expected to refuse to start). */
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
  /** More instances of otp-service (each with its own port), in the same NATS queue group. */
  extraOtpServicePorts?: number[];
  /** More gateway instances (each with its own port), sharing Redis and NATS with the first. */
  extraGatewayPorts?: number[];
  /** Each gateway instance's metrics port (GATEWAY_METRICS_PORT), in the order of the gateways. */
  gatewayMetricsPorts?: number[];
  logDir?: string;
  onLine?: (service: ServiceName, line: string) => void;
  nodeArgs?: string[];
}

/** The whole stack as separate processes: the services first, the gateway once they are ready. */
export class Stack {
  readonly services: Record<ServiceName, ServiceProcess>;
  /** Every otp-service instance, the first being services['otp-service']. */
  readonly otpServices: ServiceProcess[];
  /** Every gateway instance, the first being services.gateway. */
  readonly gateways: ServiceProcess[];

  constructor(readonly options: StackOptions) {
    // E-mailed links point at the (first) gateway unless the environment says otherwise.
    const env = { PUBLIC_URL: `http://127.0.0.1:${options.ports.gateway}`, ...options.env };
    const make = (name: ServiceName, port = options.ports[name], instance = 0): ServiceProcess =>
      new ServiceProcess({
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
      });
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

  async stop(): Promise<void> {
    await Promise.all(this.gateways.map((g) => g.close()));
    await Promise.all([this.services['account-service'].close(), ...this.otpServices.map((s) => s.close())]);
  }
}
