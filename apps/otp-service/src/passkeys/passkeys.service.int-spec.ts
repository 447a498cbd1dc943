import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import {
  createIntegrationEnv,
  domainErrorOf,
  type IntegrationEnv,
  SoftwareAuthenticator,
  TestClock,
} from '@twofold/testing';
import { startOtpService } from '../testing/otp-service.harness';
import { PasskeysService } from './passkeys.service';

const ORIGIN = 'http://localhost:8080';

describe(PasskeysService.name, () => {
  let infra: IntegrationEnv;
  let app: INestApplicationContext;
  let passkeys: PasskeysService;
  const clock = new TestClock(new Date('2026-12-07T10:00:00Z'));
  const member = () => {
    const memberId = randomUUID();
    return { memberId, accountId: randomUUID(), login: `m-${memberId.slice(0, 8)}` };
  };

  /** A member with one passkey on `authenticator`. */
  const withPasskey = async (authenticator = new SoftwareAuthenticator()) => {
    const who = member();
    const { options } = await passkeys.registrationOptions(who);
    await passkeys.register(who, { name: 'Laptop', response: authenticator.create(options, ORIGIN) });
    return { who, authenticator };
  };

  beforeAll(async () => {
    infra = await createIntegrationEnv('otp_passkeys');
    app = await startOtpService({ ...infra.env, PUBLIC_URL: ORIGIN }, clock);
    passkeys = app.get(PasskeysService);
  });

  afterAll(async () => {
    await app?.close();
    await infra?.cleanup();
  });

  describe('registration', () => {
    it('stores the passkey the authenticator made for this member, and lists it', async () => {
      const who = member();
      const { options } = await passkeys.registrationOptions(who);

      expect(options).toMatchObject({
        rp: { id: 'localhost' },
        user: {
          id: Buffer.from(who.memberId.replace(/-/g, ''), 'hex').toString('base64url'),
          name: who.login,
        },
        attestation: 'none',
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
      });
      const added = await passkeys.register(who, {
        name: 'Laptop',
        response: new SoftwareAuthenticator({ synced: true }).create(options, ORIGIN),
      });

      expect(added).toEqual({
        id: expect.any(String),
        name: 'Laptop',
        createdAt: '2026-12-07T10:00:00.000Z',
        lastUsedAt: null,
        backedUp: true,
      });
      expect(await passkeys.list(who.memberId)).toEqual([added]);
    });

    it('lists the member’s own passkeys as excluded, so one authenticator is not registered twice', async () => {
      const { who } = await withPasskey();
      const { options } = await passkeys.registrationOptions(who);

      expect(options.excludeCredentials).toHaveLength(1);
    });

    it('takes a challenge once: of 20 answers at the same time exactly one counts', async () => {
      const who = member();
      const { options } = await passkeys.registrationOptions(who);
      const answers = Array.from({ length: 20 }, () => new SoftwareAuthenticator().create(options, ORIGIN));

      const outcomes = await Promise.allSettled(
        answers.map((response) => passkeys.register(who, { name: 'Key', response })),
      );

      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(await passkeys.list(who.memberId)).toHaveLength(1);
    });

    it('refuses an answer to another member’s challenge, and leaves both without a passkey', async () => {
      const victim = member();
      const intruder = member();
      const { options } = await passkeys.registrationOptions(victim);

      const error = await domainErrorOf(
        passkeys.register(intruder, {
          name: 'Mine now',
          response: new SoftwareAuthenticator().create(options, ORIGIN),
        }),
      );

      expect(error.code).toBe('passkey_refused');
      expect(await passkeys.list(victim.memberId)).toEqual([]);
      expect(await passkeys.list(intruder.memberId)).toEqual([]);
    });

    it('refuses an answer made on another site, or for another relying party', async () => {
      const who = member();
      for (const [origin, rpId] of [
        ['https://phish.example', undefined],
        [ORIGIN, 'evil.example'],
      ] as const) {
        const { options } = await passkeys.registrationOptions(who);
        const response = new SoftwareAuthenticator().create(
          { ...options, rp: { id: rpId ?? options.rp.id } },
          origin,
        );

        expect((await domainErrorOf(passkeys.register(who, { name: 'Key', response }))).code).toBe(
          'passkey_refused',
        );
      }
      expect(await passkeys.list(who.memberId)).toEqual([]);
    });

    it('refuses a challenge issued for another flow', async () => {
      const { who } = await withPasskey();
      const stepUp = await passkeys.authenticationOptions('step_up', who.memberId);
      const { options } = await passkeys.registrationOptions(who);
      const response = new SoftwareAuthenticator().create(
        { ...options, challenge: stepUp.options.challenge },
        ORIGIN,
      );

      const error = await domainErrorOf(passkeys.register(who, { name: 'Key', response }));

      expect(error.code).toBe('passkey_refused');
    });
  });

  describe('authentication', () => {
    it('proves the member’s passkey, with user verification, and records its use', async () => {
      const { who, authenticator } = await withPasskey();
      const { options } = await passkeys.authenticationOptions('second_factor', who.memberId);

      expect(options.allowCredentials).toHaveLength(1);
      const proven = await passkeys.authenticate(
        'second_factor',
        who.memberId,
        authenticator.get(options, ORIGIN),
      );

      expect(proven).toMatchObject({ passkey: { memberId: who.memberId }, userVerified: true });
      expect((await passkeys.list(who.memberId))[0]?.lastUsedAt).toBe('2026-12-07T10:00:00.000Z');
    });

    it('counts one of 20 answers to the same challenge at the same time', async () => {
      const { who, authenticator } = await withPasskey();
      const { options } = await passkeys.authenticationOptions('second_factor', who.memberId);
      const response = authenticator.get(options, ORIGIN);

      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, () => passkeys.authenticate('second_factor', who.memberId, response)),
      );

      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    });

    it('refuses another member’s passkey, even on a challenge of the member who holds it', async () => {
      const { who: victim } = await withPasskey();
      const { authenticator: intruderKey } = await withPasskey();
      const { options } = await passkeys.authenticationOptions('second_factor', victim.memberId);

      const error = await domainErrorOf(
        passkeys.authenticate(
          'second_factor',
          victim.memberId,
          intruderKey.get({ ...options, allowCredentials: [] }, ORIGIN),
        ),
      );

      expect(error.code).toBe('passkey_refused');
    });

    it('tells a cloned authenticator (its counter behind the stored one) from a good answer', async () => {
      const { who, authenticator } = await withPasskey();
      const clone = authenticator.clone();
      const first = await passkeys.authenticationOptions('second_factor', who.memberId);
      await passkeys.authenticate('second_factor', who.memberId, authenticator.get(first.options, ORIGIN));
      const second = await passkeys.authenticationOptions('second_factor', who.memberId);

      const outcome = await passkeys.authenticate(
        'second_factor',
        who.memberId,
        clone.get(second.options, ORIGIN),
      );

      expect(outcome).toEqual({ cloned: expect.objectContaining({ memberId: who.memberId }) });
    });

    it('signs in without a password only with user verification, and names the member by the passkey', async () => {
      const { who, authenticator } = await withPasskey();
      const { options } = await passkeys.authenticationOptions('passwordless', null);

      expect(options.allowCredentials).toEqual([]);
      expect(options.userVerification).toBe('required');
      expect(
        await passkeys.authenticate('passwordless', null, authenticator.get(options, ORIGIN)),
      ).toMatchObject({ passkey: { memberId: who.memberId }, userVerified: true });

      const { authenticator: presenceOnly } = await withPasskey(
        new SoftwareAuthenticator({ userVerification: false }),
      );
      const again = await passkeys.authenticationOptions('passwordless', null);
      const error = await domainErrorOf(
        passkeys.authenticate('passwordless', null, presenceOnly.get(again.options, ORIGIN)),
      );
      expect(error.code).toBe('passkey_refused');
    });
  });
});
