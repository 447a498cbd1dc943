import { resolve } from 'node:path';
import { ConfigError } from '@twofold/platform';
import { deploymentEnvironments } from '@twofold/testing';
import { OTP_ENV_VARIABLES, loadOtpConfig } from './otp-config';

const ROOT = resolve(__dirname, '../../../..');

describe('otp-service configuration', () => {
  it('starts from an empty environment with the documented defaults', () => {
    expect(() => loadOtpConfig({})).not.toThrow();
  });

  it.each(deploymentEnvironments(ROOT, 'otp-service'))(
    'accepts every variable %s sets, and sets none it does not read',
    (_where, env) => {
      expect(Object.keys(env).filter((name) => !OTP_ENV_VARIABLES.includes(name))).toEqual([]);
      expect(() => loadOtpConfig(env)).not.toThrow();
    },
  );

  it('refuses a bad value with a line naming the variable', () => {
    const port = 'OTP_SERVICE_PORT';
    let problems: string[] = [];
    try {
      loadOtpConfig({ [port]: '0' });
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
    }

    expect(problems).toEqual([`${port}: must be a port number between 1 and 65535`]);
  });
});
