import { resolve } from 'node:path';
import { ConfigError } from '@twofold/platform';
import { deploymentEnvironments, undocumentedVariables } from '@twofold/testing';
import { GATEWAY_ENV_VARIABLES, loadGatewayConfig } from './gateway-config';

const ROOT = resolve(__dirname, '../../../..');

describe('gateway configuration', () => {
  it('starts from an empty environment with the documented defaults', () => {
    expect(() => loadGatewayConfig({})).not.toThrow();
  });

  it('documents every variable it reads in the README’s configuration table', () => {
    expect(undocumentedVariables(ROOT, GATEWAY_ENV_VARIABLES)).toEqual([]);
  });

  it.each(deploymentEnvironments(ROOT, 'gateway'))(
    'accepts every variable %s sets, and sets none it does not read',
    (_where, env) => {
      expect(Object.keys(env).filter((name) => !GATEWAY_ENV_VARIABLES.includes(name))).toEqual([]);
      expect(() => loadGatewayConfig(env)).not.toThrow();
    },
  );

  it('refuses a bad value with a line naming the variable', () => {
    const port = 'GATEWAY_PORT';
    let problems: string[] = [];
    try {
      loadGatewayConfig({ [port]: '0' });
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
    }

    expect(problems).toEqual([`${port}: must be a port number between 1 and 65535`]);
  });

  it('takes KEYSTONE_PUBLIC_URL without its trailing slash, and refuses a non-HTTP one', () => {
    expect(
      loadGatewayConfig({ KEYSTONE_PUBLIC_URL: 'https://cloud.example.com/identity/' }).KEYSTONE_PUBLIC_URL,
    ).toBe('https://cloud.example.com/identity');
    expect(loadGatewayConfig({}).KEYSTONE_PUBLIC_URL).toBeUndefined();
    expect(() => loadGatewayConfig({ KEYSTONE_PUBLIC_URL: 'ftp://x' })).toThrow(ConfigError);
  });
});
