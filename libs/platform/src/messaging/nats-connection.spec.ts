import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nkeys } from 'nats';
import { natsAccessOf, natsConnectOptions } from './nats-connection';

describe(natsConnectOptions.name, () => {
  it('connects to any server of a cluster, and keeps reconnecting to the survivors', () => {
    const options = natsConnectOptions({
      ...natsAccessOf({ NATS_URL: 'nats://10.0.0.1:4222, nats://10.0.0.2:4222' }),
      name: 'gateway',
    });

    expect(options).toMatchObject({
      servers: ['nats://10.0.0.1:4222', 'nats://10.0.0.2:4222'],
      name: 'gateway',
      maxReconnectAttempts: -1,
    });
    expect(options.user).toBeUndefined();
    expect(options.authenticator).toBeUndefined();
  });

  it('signs in with a user and password when given them', () => {
    const options = natsConnectOptions({
      ...natsAccessOf({
        NATS_URL: 'tls://nats.example.com:4222',
        NATS_USER: 'gateway',
        NATS_PASSWORD: 's3cret',
      }),
      name: 'gateway',
    });

    expect(options).toMatchObject({ user: 'gateway', pass: 's3cret' });
  });

  it('signs in with the nkey whose seed a file holds, and verifies TLS against a CA bundle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nkey-'));
    const seedFile = join(dir, 'seed');
    writeFileSync(seedFile, `${new TextDecoder().decode(nkeys.createUser().getSeed())}\n`);

    const options = natsConnectOptions({
      url: 'tls://nats.example.com:4222',
      name: 'otp-service',
      nkeySeedFile: seedFile,
      tlsCaFile: join(dir, 'ca.pem'),
    });

    expect(typeof options.authenticator).toBe('function');
    expect(options.tls).toEqual({ caFile: join(dir, 'ca.pem') });
  });
});
