/** Parsed from argv without touching anything, so that parsing and help are unit-tested. */
export type Command =
  | { name: 'service-user create'; login: string }
  | { name: 'service-user delete'; login: string }
  | { name: 'member show'; login: string }
  | { name: 'member reset-two-factor'; login: string }
  | { name: 'member unlock'; login: string }
  | { name: 'keys rotate' }
  | { name: 'jobs failed'; retry: boolean; ids: string[] }
  | { name: 'help' };

/** What a script can rely on. */
export const EXIT = {
  ok: 0,
  refused: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
  unavailable: 69,
} as const;

export const USAGE = `Usage: npm run admin -- <command> [options] [--json]

  service-user create --login L     a service user (role "service", project "service");
                                    the password is read from standard input
  service-user delete --login L
  member show --login L             a member or service user, with its locks and 2FA state
  member reset-two-factor --login L turns 2FA off (audited as done by the platform; the
                                    member and the account's owner are e-mailed)
  member unlock --login L           lifts the password lock and the second-factor lock
                                    (audited and e-mailed the same way)
  keys rotate                       re-encrypts every OTP secret under the newest key
  jobs failed [--retry [ID…]]       the notification and webhook jobs that exhausted their retries;
                                    --retry runs them (or the given ones) again

Exit codes: 0 done, 1 refused, 2 usage, 3 not found, 4 already exists, 69 unreachable.
Configuration: NATS_URL, NATS_SUBJECT_PREFIX, RPC_TIMEOUT_MS (as for the services).`;

export class UsageError extends Error {}

/** `--json` is taken out by the caller. */
export function parseCommand(argv: string[]): Command {
  const [group, verb, ...rest] = argv;
  if (group === undefined || group === 'help' || group === '--help' || group === '-h')
    return { name: 'help' };
  const name = `${group} ${verb ?? ''}`.trim();
  const login = (): string => {
    const at = rest.indexOf('--login');
    const value = at >= 0 ? rest[at + 1] : undefined;
    if (!value || value.startsWith('--')) throw new UsageError(`${name} needs --login <login>`);
    const unknown = rest.filter((_arg, i) => i !== at && i !== at + 1);
    if (unknown.length > 0) throw new UsageError(`${name} does not take ${unknown.join(' ')}`);
    return value;
  };
  switch (name) {
    case 'service-user create':
    case 'service-user delete':
    case 'member show':
    case 'member reset-two-factor':
    case 'member unlock':
      return { name, login: login() };
    case 'keys rotate':
      if (rest.length > 0) throw new UsageError(`keys rotate does not take ${rest.join(' ')}`);
      return { name };
    case 'jobs failed': {
      const retry = rest[0] === '--retry';
      const ids = retry ? rest.slice(1) : rest;
      if (!retry && ids.length > 0) throw new UsageError(`jobs failed does not take ${ids.join(' ')}`);
      return { name, retry, ids };
    }
    default:
      throw new UsageError(`unknown command "${name}"`);
  }
}
