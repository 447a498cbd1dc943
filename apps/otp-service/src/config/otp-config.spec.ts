import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '@twofold/platform';
import { deploymentEnvironments, undocumentedVariables } from '@twofold/testing';
import { formatKey } from '../crypto/encryption-keys';
import { OTP_ENV_VARIABLES, loadOtpConfig } from './otp-config';

const ROOT = resolve(__dirname, '../../../..');
const scratchKeyFile = (): string => join(mkdtempSync(join(tmpdir(), 'otp-config-')), 'keys');
const SECRETS = { OTP_ENCRYPTION_KEYS: formatKey('k8s', Buffer.alloc(32, 7)) };

describe('otp-service configuration', () => {
  it('starts in development from an otherwise empty environment with the documented defaults', () => {
    expect(() => loadOtpConfig({ NODE_ENV: 'development' }, scratchKeyFile())).not.toThrow();
  });

  it('documents every variable it reads in the README’s configuration table', () => {
    expect(undocumentedVariables(ROOT, OTP_ENV_VARIABLES)).toEqual([]);
  });

  it.each(deploymentEnvironments(ROOT, 'otp-service', SECRETS))(
    'accepts every variable %s sets, and sets none it does not read',
    (_where, env) => {
      expect(Object.keys(env).filter((name) => !OTP_ENV_VARIABLES.includes(name))).toEqual([]);
      expect(() => loadOtpConfig(env, scratchKeyFile())).not.toThrow();
    },
  );

  it('waits for one Redis replica before a code counts on a Redis Cluster, for none on one Redis', () => {
    const env = { NODE_ENV: 'production', ...SECRETS };

    expect(loadOtpConfig(env).OTP_ACCEPT_REPLICAS).toBe(0);
    expect(loadOtpConfig({ ...env, REDIS_CLUSTER_NODES: 'redis-0:6379' }).OTP_ACCEPT_REPLICAS).toBe(1);
    expect(
      loadOtpConfig({ ...env, REDIS_CLUSTER_NODES: 'redis-0:6379', OTP_ACCEPT_REPLICAS: '0' })
        .OTP_ACCEPT_REPLICAS,
    ).toBe(0);
    expect(loadOtpConfig({ ...env, OTP_ACCEPT_REPLICAS: '2' }).OTP_ACCEPT_REPLICAS).toBe(2);
    expect(() => loadOtpConfig({ ...env, OTP_ACCEPT_REPLICAS: '-1' })).toThrow(
      'OTP_ACCEPT_REPLICAS: must be a whole number from 0 to 5',
    );
  });

  it('refuses a bad value with a line naming the variable', () => {
    const port = 'OTP_SERVICE_PORT';
    let problems: string[] = [];
    try {
      loadOtpConfig({ NODE_ENV: 'development', [port]: '0' }, scratchKeyFile());
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
    }

    expect(problems).toEqual([`${port}: must be a port number between 1 and 65535`]);
  });

  describe('OTP_ENCRYPTION_KEYS', () => {
    const problemsOf = (env: Record<string, string>, keyFile = scratchKeyFile()): string[] => {
      try {
        loadOtpConfig(env, keyFile);
      } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
      }
      return [];
    };

    it.each([['production'], ['test'], ['unset']])('is required when NODE_ENV is %s', (nodeEnv) => {
      const file = scratchKeyFile();

      expect(problemsOf(nodeEnv === 'unset' ? {} : { NODE_ENV: nodeEnv }, file)).toEqual([
        'OTP_ENCRYPTION_KEYS: is required (id:base64key[,id:base64key…], newest first) unless NODE_ENV is development, which generates a key into var/',
      ]);
      expect(() => readFileSync(file)).toThrow();
    });

    it('takes several keys, the first one encrypting', () => {
      const config = loadOtpConfig({
        OTP_ENCRYPTION_KEYS: `${formatKey('k2', Buffer.alloc(32, 2))},${formatKey('k1', Buffer.alloc(32, 1))}`,
      });

      expect(config.OTP_ENCRYPTION_KEYS.current.id).toBe('k2');
      expect(config.OTP_ENCRYPTION_KEYS.all.map((k) => k.id)).toEqual(['k2', 'k1']);
    });

    it('refuses a key that is not 256 bits, or an id used twice, without showing the key', () => {
      const short = formatKey('k1', Buffer.alloc(16, 1));
      const problems = problemsOf({ OTP_ENCRYPTION_KEYS: short });

      expect(problems).toEqual(['OTP_ENCRYPTION_KEYS: key "k1" must be 32 bytes (AES-256), base64-encoded']);
      expect(problems.join()).not.toContain(short.split(':')[1]);
      expect(
        problemsOf({
          OTP_ENCRYPTION_KEYS: `${formatKey('a', Buffer.alloc(32))},${formatKey('a', Buffer.alloc(32))}`,
        }),
      ).toEqual(['OTP_ENCRYPTION_KEYS: key id "a" appears twice']);
    });

    it('generates one development key on first start and reuses it', () => {
      const file = scratchKeyFile();

      const first = loadOtpConfig({ NODE_ENV: 'development' }, file).OTP_ENCRYPTION_KEYS.current;
      const second = loadOtpConfig({ NODE_ENV: 'development' }, file).OTP_ENCRYPTION_KEYS.current;

      expect(first.key).toHaveLength(32);
      expect(second.key.equals(first.key)).toBe(true);
      expect(readFileSync(file, 'utf8').trim()).toMatch(/^dev-\d{8}:[A-Za-z0-9+/]{43}=$/);
    });
  });
});
