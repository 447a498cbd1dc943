import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { AuthenticatorApp, createIntegrationEnv, eventually, type IntegrationEnv } from '@twofold/testing';
import { ROOT_DIR } from './support';

jest.setTimeout(240_000);

/** The README's fenced `sh` blocks, each as its commands (continued lines joined, comments left out). */
function readmeBlocks(): string[][] {
  const readme = readFileSync(join(ROOT_DIR, 'README.md'), 'utf8');
  return [...readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) =>
    m[1]
      .replace(/\\\n/g, ' ')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#')),
  );
}

/** One bash, fed a command at a time, so that variables carry from block to block as in a terminal. */
class Terminal {
  private readonly bash: ChildProcessWithoutNullStreams;
  private out = '';
  private err = '';

  constructor(env: Record<string, string>) {
    this.bash = spawn('bash', ['--noprofile', '--norc'], { cwd: ROOT_DIR, env });
    this.bash.stdout.on('data', (chunk: Buffer) => (this.out += chunk.toString()));
    this.bash.stderr.on('data', (chunk: Buffer) => (this.err += chunk.toString()));
  }

  async run(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
    this.out = '';
    this.err = '';
    const marker = `__readme_done_${Date.now()}__`;
    this.bash.stdin.write(`${command}\nprintf '\\n${marker}%d\\n' $?\n`);
    const code = await eventually(
      () => {
        const match = new RegExp(`\\n${marker}(\\d+)\\n`).exec(this.out);
        return match ? Number(match[1]) : undefined;
      },
      120_000,
      `the README's command to finish: ${command.slice(0, 80)}`,
    );
    return { code, stdout: this.out.slice(0, this.out.indexOf(`\n${marker}`)), stderr: this.err };
  }

  close(): void {
    this.bash.kill();
  }
}

const portInUse = (port: number) =>
  new Promise<boolean>((done) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => done(!socket.destroy()));
    socket.once('error', () => done(false));
  });

describe("the README's commands, run as written", () => {
  const blocks = readmeBlocks();
  let infra: IntegrationEnv;
  let env: Record<string, string>;
  let stack: ChildProcessWithoutNullStreams | undefined;
  let terminal: Terminal;
  let stackOutput = '';

  beforeAll(async () => {
    for (const port of [8080, 8081, 8082, 8083])
      if (await portInUse(port)) throw new Error(`port ${port} is in use: stop the stack on it first`);
    infra = await createIntegrationEnv('readme');
    // As an operator runs it: the test run's own database and prefixes, not its NODE_ENV or log level.
    const isolated = Object.entries(infra.env).filter(([name]) => !['NODE_ENV', 'LOG_LEVEL'].includes(name));
    env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...Object.fromEntries(isolated) };
    terminal = new Terminal({ ...env, NOVA_SERVICE_PASSWORD: `nova ${Date.now()} service password` });
  });

  afterAll(async () => {
    terminal?.close();
    if (stack?.exitCode === null) {
      process.kill(-stack.pid!, 'SIGINT'); // npm, the stack and its services: Ctrl-C
      await new Promise((done) => stack!.once('exit', done));
    }
    await infra?.cleanup();
  });

  it("runs the first block's commands: CI runs `npm ci && npm test`, and `npm start` starts the stack", async () => {
    expect(blocks[0]).toEqual([
      expect.stringMatching(/^npm ci && npm start\s/),
      expect.stringMatching(/^npm ci && npm test\s/),
    ]);
    const ci = readFileSync(join(ROOT_DIR, '.ci/run'), 'utf8');
    expect(ci).toMatch(/^npm ci\b.*\nnpm test\n$/m);
    // `npm ci` is this run's own install; `npm start` as written, in the same tree.
    stack = spawn('npm', ['start'], { cwd: ROOT_DIR, env, detached: true });
    stack.stdout.on('data', (chunk: Buffer) => (stackOutput += chunk.toString()));
    stack.stderr.on('data', (chunk: Buffer) => (stackOutput += chunk.toString()));
    await eventually(
      () =>
        (/http:\/\/localhost:8080/.test(stackOutput) && /gateway on port 8080/.test(stackOutput)) ||
        undefined,
      180_000,
      `npm start to print the gateway's URL; it printed:\n${stackOutput.slice(-2000)}`,
    );
  });

  it('runs the Quick start: an account, 2FA on, then a sign-in with password and code', async () => {
    const [signUp, twoFactor] = blocks.slice(1, 3);
    const outputs: string[] = [];
    for (const command of signUp) {
      const run = await terminal.run(command);
      expect({ command, code: run.code }).toEqual({ command, code: 0 });
      outputs.push(run.stdout);
    }
    expect(JSON.parse(outputs.at(-1)!)).toMatchObject({ user: { login: 'alice' } });

    let app: AuthenticatorApp | undefined;
    const answers: unknown[] = [];
    for (const written of twoFactor) {
      // Only the placeholder codes change: each becomes the code the member's app shows then.
      let command = written;
      for (const placeholder of ['123456', '654321'])
        if (command.includes(placeholder)) command = command.replace(placeholder, await app!.nextCode());
      const run = await terminal.run(command);
      expect({ command: written, code: run.code, stderr: run.stderr }).toEqual({
        command: written,
        code: 0,
        stderr: '',
      });
      const answer = run.stdout.trim() ? (JSON.parse(run.stdout) as Record<string, unknown>) : {};
      expect({ command: written, answer }).not.toMatchObject({ answer: { code: expect.any(String) } });
      if (typeof answer.secret === 'string') app = new AuthenticatorApp(answer.secret);
      answers.push(answer);
    }
    expect(app).toBeDefined();
    expect(answers.at(-1)).toMatchObject({ token: expect.any(String), aal: 2 });
  });

  it("runs the operator's blocks (npm run admin) against that stack", async () => {
    const operator = blocks.filter((block) => block.some((command) => command.includes('npm run')));
    const commands = operator.flat().filter((command) => !/^npm ci\b/.test(command));
    expect(commands).toEqual(
      expect.arrayContaining([
        expect.stringContaining('npm run admin -- service-user create --login nova'),
        expect.stringContaining('npm run admin -- member show --login alice'),
        expect.stringContaining('npm run -s admin -- jobs failed --json'),
      ]),
    );
    for (const command of commands) {
      const run = await terminal.run(command);
      expect({ command, code: run.code, stderr: run.stderr }).toEqual({
        command,
        code: 0,
        stderr: expect.not.stringMatching(/error/i),
      });
      if (command.includes('member show')) expect(run.stdout).toMatch(/alice/);
      if (command.includes('--json')) expect(JSON.parse(run.stdout)).toEqual(expect.anything());
    }
  });

  it('leaves no fenced sh block of the README unrun', () => {
    const run = new Set([0, 1, 2]);
    blocks.forEach((block, i) => {
      if (block.some((command) => command.includes('npm run'))) run.add(i);
    });
    expect(blocks.map((_, i) => i).filter((i) => !run.has(i))).toEqual([]);
  });
});
