import { ConfigError } from '../config/load-config';
import { StartupError } from './preflight';

/**
 * Runs a process's start-up. Problems a person can fix (bad configuration, a dependency that
 * is down) are printed as plain lines and exit 1 without a stack trace.
 */
export function runMain(processName: string, start: () => Promise<void>): void {
  start().catch((error: unknown) => {
    if (error instanceof ConfigError || error instanceof StartupError) {
      process.stderr.write(`${processName} cannot start. ${error.message}\n`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`${processName} failed to start: ${message}\n`);
    }
    process.exit(1);
  });
}

/** How long a script waits for its application to close before it exits all the same. */
const SCRIPT_CLOSE_MS = 10_000;

/**
 * Runs a script (seeding, key rotation): like runMain, and once its work is done the process
 * exits, after closing `app` for at most SCRIPT_CLOSE_MS — a script whose work is done must
 * not hang on a connection that will not close.
 */
export function runScript(
  processName: string,
  work: () => Promise<{ close(): Promise<void> } | undefined | void>,
): void {
  runMain(processName, async () => {
    const app = await work();
    if (app) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        app.close().catch(() => undefined),
        new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            process.stderr.write(
              `${processName}: done; closing took over ${SCRIPT_CLOSE_MS / 1000} s, exiting\n`,
            );
            resolve();
          }, SCRIPT_CLOSE_MS);
        }),
      ]);
      clearTimeout(timer);
    }
    process.exit(0);
  });
}

/** How long a service may take to stop after SIGTERM or SIGINT (Kubernetes waits 30 s, then kills). */
export const SHUTDOWN_LIMIT_MS = 20_000;

/**
 * Bounds a service's shutdown: if closing (draining requests, then every connection) has not
 * ended the process SHUTDOWN_LIMIT_MS after the signal, it says so and exits 1 rather than
 * hang until it is killed.
 */
export function boundShutdown(processName: string, limitMs = SHUTDOWN_LIMIT_MS): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        process.stderr.write(`${processName}: stopping took over ${limitMs / 1000} s; exiting\n`);
        process.exit(1);
      }, limitMs).unref();
    });
  }
}
