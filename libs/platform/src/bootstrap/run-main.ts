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
