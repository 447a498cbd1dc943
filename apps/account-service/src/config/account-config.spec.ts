import { resolve } from 'node:path';
import { ConfigError } from '@twofold/platform';
import { deploymentEnvironments, undocumentedVariables } from '@twofold/testing';
import { ACCOUNT_ENV_VARIABLES, loadAccountConfig } from './account-config';

const ROOT = resolve(__dirname, '../../../..');

describe('account-service configuration', () => {
  it('starts from an empty environment with the documented defaults', () => {
    expect(() => loadAccountConfig({})).not.toThrow();
  });

  it('documents every variable it reads in the README’s configuration table', () => {
    expect(undocumentedVariables(ROOT, ACCOUNT_ENV_VARIABLES)).toEqual([]);
  });

  it.each(
    deploymentEnvironments(ROOT, 'account-service', {
      SMTP_URL: 'smtps://mailer:secret@smtp.example.com:465',
    }),
  )('accepts every variable %s sets, and sets none it does not read', (_where, env) => {
    expect(Object.keys(env).filter((name) => !ACCOUNT_ENV_VARIABLES.includes(name))).toEqual([]);
    expect(() => loadAccountConfig(env)).not.toThrow();
  });

  it('refuses a bad value with a line naming the variable', () => {
    const port = 'ACCOUNT_SERVICE_PORT';
    let problems: string[] = [];
    try {
      loadAccountConfig({ [port]: '0' });
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
    }

    expect(problems).toEqual([`${port}: must be a port number between 1 and 65535`]);
  });

  it('refuses a webhook without its secret, or a secret that is not whsec_ and 24 bytes, never echoing it', () => {
    const problemsOf = (env: Record<string, string>): string[] => {
      try {
        loadAccountConfig(env);
        return [];
      } catch (error) {
        return error instanceof ConfigError ? error.problems : ['not a ConfigError'];
      }
    };
    const url = 'https://siem.example.com/hook';
    const short = `whsec_${Buffer.alloc(16, 7).toString('base64')}`;
    expect(problemsOf({ SECURITY_EVENTS_WEBHOOK_URL: url })).toEqual([
      'SECURITY_EVENTS_WEBHOOK_SECRET: is required with SECURITY_EVENTS_WEBHOOK_URL',
    ]);
    expect(problemsOf({ SECURITY_EVENTS_WEBHOOK_URL: url, SECURITY_EVENTS_WEBHOOK_SECRET: short })).toEqual([
      'SECURITY_EVENTS_WEBHOOK_SECRET: must be whsec_ followed by at least 24 bytes in base64',
    ]);
    const good = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    expect(problemsOf({ SECURITY_EVENTS_WEBHOOK_URL: url, SECURITY_EVENTS_WEBHOOK_SECRET: good })).toEqual(
      [],
    );
  });
});
