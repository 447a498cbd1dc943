import { parseCommand, UsageError } from './commands';

describe(parseCommand.name, () => {
  it.each([
    [['service-user', 'create', '--login', 'glance'], { name: 'service-user create', login: 'glance' }],
    [['member', 'unlock', '--login', 'alice'], { name: 'member unlock', login: 'alice' }],
    [['keys', 'rotate'], { name: 'keys rotate' }],
    [['jobs', 'failed'], { name: 'jobs failed', retry: false, ids: [] }],
    [['jobs', 'failed', '--retry', '12', '13'], { name: 'jobs failed', retry: true, ids: ['12', '13'] }],
    [[], { name: 'help' }],
    [['--help'], { name: 'help' }],
  ])('reads %j', (argv, command) => {
    expect(parseCommand(argv)).toEqual(command);
  });

  it.each([
    [['member', 'show'], 'member show needs --login <login>'],
    [['member', 'show', '--login'], 'member show needs --login <login>'],
    [['member', 'show', '--login', 'a', '--force'], 'member show does not take --force'],
    [['keys', 'rotate', 'now'], 'keys rotate does not take now'],
    [['members', 'list'], 'unknown command "members list"'],
  ])('refuses %j with a usage error', (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(new UsageError(message));
  });
});
