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
