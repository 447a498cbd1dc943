import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { DomainError, type ErrorCode } from '@twofold/contracts';
import { ConfigError, natsAccessOf, natsConnectOptions, RpcClient } from '@twofold/platform';
import { connect } from 'nats';
import { EXIT, parseCommand, USAGE, UsageError } from './commands';
import { loadOperatorConfig } from './operator-config';
import { runCommand } from './operator';

/** The exit code of each answer a script may branch on; every other refusal is 1. */
const EXIT_OF: Partial<Record<ErrorCode, number>> = {
  not_found: EXIT.notFound,
  login_taken: EXIT.conflict,
  account_name_taken: EXIT.conflict,
  service_unavailable: EXIT.unavailable,
};

/** The password from standard input: piped (one line), or typed at a prompt that does not echo. */
async function readPassword(): Promise<string> {
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  if (process.stdin.isTTY) process.stderr.write('Password of the new service user: ');
  const lines = createInterface({ input: process.stdin, output: muted, terminal: process.stdin.isTTY });
  for await (const line of lines) {
    lines.close();
    if (process.stdin.isTTY) process.stderr.write('\n');
    return line;
  }
  throw new UsageError('service-user create reads the password from standard input, and got none');
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const command = parseCommand(argv.filter((a) => a !== '--json'));
  if (command.name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const config = loadOperatorConfig();
  const nc = await connect({
    ...natsConnectOptions({ ...natsAccessOf(config), name: 'twofold-operator-cli' }),
    maxReconnectAttempts: 0,
    timeout: 3000,
  }).catch(() => {
    throw new DomainError('service_unavailable', `NATS is not reachable at ${config.NATS_URL}.`);
  });
  try {
    const rpc = new RpcClient(() => nc, config.NATS_SUBJECT_PREFIX, config.RPC_TIMEOUT_MS);
    const outcome = await runCommand(rpc, command, readPassword);
    process.stdout.write(`${json ? JSON.stringify(outcome.data) : outcome.text}\n`);
    return EXIT.ok;
  } finally {
    await nc.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      process.exit(EXIT.usage);
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT.usage);
    }
    if (error instanceof DomainError) {
      process.stderr.write(`${error.code}: ${error.message}\n`);
      process.exit(EXIT_OF[error.code] ?? EXIT.refused);
    }
    process.stderr.write(`unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(EXIT.refused);
  },
);
