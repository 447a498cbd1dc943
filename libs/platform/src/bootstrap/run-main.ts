import { ConfigError } from '../config/load-config';
import { StartupError } from './preflight';

/** Problems a person can fix (configuration, a dependency down) print as plain lines, no stack trace. */
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

const SCRIPT_CLOSE_MS = 10_000;

/** A script whose work is done must not hang on a connection that will not close. */
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

/** Under Kubernetes' 30 s before it kills. */
export const SHUTDOWN_LIMIT_MS = 20_000;

/** Says so and exits 1 rather than hang until killed. */
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
