import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import {
  createIntegrationEnv,
  domainErrorOf,
  type IntegrationEnv,
  SoftwareAuthenticator,
  TestClock,
} from '@twofold/testing';
import { type AuthenticationResponse, type RegistrationResponse } from '@twofold/contracts';
import { SecurityStamps } from '@twofold/platform';
import { eventsFor, startOtpService } from '../testing/otp-service.harness';
import { TwoFactorService } from '../two-factor/two-factor.service';
import { VerificationService } from '../verification/verification.service';
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

  const grantOf = async (memberId: string) => ({ stamp: await app.get(SecurityStamps).current(memberId) });
  const register = async (
    who: ReturnType<typeof member>,
    request: { name: string; response: RegistrationResponse },
  ) => passkeys.register(who, { ...request, grant: await grantOf(who.memberId) }, null);
  const authenticate = (
    flow: 'second_factor' | 'step_up' | 'passwordless',
    memberId: string | null,
    response: AuthenticationResponse,
  ) => passkeys.authenticate({ flow, memberId, response }, null);

  /** A member with one passkey on `authenticator`. */
  const withPasskey = async (authenticator = new SoftwareAuthenticator()) => {
    const who = member();
    const { options } = await passkeys.registrationOptions(who);
    const { recoveryCodes } = await register(who, {
      name: 'Laptop',
      response: authenticator.create(options, ORIGIN),
    });
    return { who, authenticator, recoveryCodes: recoveryCodes ?? [] };
  };

  beforeAll(async () => {
    infra = await createIntegrationEnv('otp_passkeys');
    app = await startOtpService({ ...infra.env, PUBLIC_URL: ORIGIN, OTP_LOCK_AFTER_FAILURES: '10' }, clock);
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
      const added = await register(who, {
        name: 'Laptop',
        response: new SoftwareAuthenticator({ synced: true }).create(options, ORIGIN),
      });

      expect(added.passkey).toEqual({
        id: expect.any(String),
        name: 'Laptop',
        createdAt: '2026-12-07T10:00:00.000Z',
        lastUsedAt: null,
        backedUp: true,
      });
      expect(await passkeys.list(who.memberId)).toEqual([added.passkey]);
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
        answers.map((response) => register(who, { name: 'Key', response })),
      );

      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(await passkeys.list(who.memberId)).toHaveLength(1);
    });

    it('refuses an answer to another member’s challenge, and leaves both without a passkey', async () => {
      const victim = member();
      const intruder = member();
      const { options } = await passkeys.registrationOptions(victim);

      const error = await domainErrorOf(
        register(intruder, {
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

        expect((await domainErrorOf(register(who, { name: 'Key', response }))).code).toBe('passkey_refused');
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

      const error = await domainErrorOf(register(who, { name: 'Key', response }));

      expect(error.code).toBe('passkey_refused');
    });
  });

  describe('authentication', () => {
    it('proves the member’s passkey, with user verification, and records its use', async () => {
      const { who, authenticator } = await withPasskey();
      const { options } = await passkeys.authenticationOptions('second_factor', who.memberId);

      expect(options.allowCredentials).toHaveLength(1);
      const proven = await authenticate('second_factor', who.memberId, authenticator.get(options, ORIGIN));

      expect(proven).toMatchObject({ memberId: who.memberId, amr: 'hwk', userVerified: true });
      expect((await passkeys.list(who.memberId))[0]?.lastUsedAt).toBe('2026-12-07T10:00:00.000Z');
    });

    it('counts one of 20 answers to the same challenge at the same time', async () => {
      const { who, authenticator } = await withPasskey();
      const { options } = await passkeys.authenticationOptions('second_factor', who.memberId);
      const response = authenticator.get(options, ORIGIN);

      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, () => authenticate('second_factor', who.memberId, response)),
      );

      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    });

    it('refuses another member’s passkey, even on a challenge of the member who holds it', async () => {
      const { who: victim } = await withPasskey();
      const { authenticator: intruderKey } = await withPasskey();
      const { options } = await passkeys.authenticationOptions('second_factor', victim.memberId);

      const error = await domainErrorOf(
        authenticate(
          'second_factor',
          victim.memberId,
          intruderKey.get({ ...options, allowCredentials: [] }, ORIGIN),
        ),
      );

      expect(error.code).toBe('passkey_refused');
    });

    it('refuses a cloned authenticator (its counter behind the stored one) and e-mails the member', async () => {
      const { who, authenticator } = await withPasskey();
      const clone = authenticator.clone();
      const first = await passkeys.authenticationOptions('second_factor', who.memberId);
      await authenticate('second_factor', who.memberId, authenticator.get(first.options, ORIGIN));
      const second = await passkeys.authenticationOptions('second_factor', who.memberId);

      const error = await domainErrorOf(
        authenticate('second_factor', who.memberId, clone.get(second.options, ORIGIN)),
      );

      expect(error.code).toBe('passkey_refused');
      expect((await eventsFor(app, who.memberId)).map((e) => e.type)).toContain('passkey.clone_detected');
    });

    it('counts refused answers toward the member’s back-off and lock, like wrong codes', async () => {
      const { who } = await withPasskey();
      const { authenticator: stranger } = await withPasskey();
      let last: string | undefined;
      for (let i = 0; i < 10; i += 1) {
        const { options } = await passkeys.authenticationOptions('second_factor', who.memberId);
        last = (
          await domainErrorOf(
            authenticate(
              'second_factor',
              who.memberId,
              stranger.get({ ...options, allowCredentials: [] }, ORIGIN),
            ),
          )
        ).code;
      }

      expect(last).toBe('second_factor_locked');
      expect(await app.get(TwoFactorService).status(who.memberId)).toMatchObject({
        enabled: true,
        locked: true,
      });
      expect((await eventsFor(app, who.memberId)).map((e) => e.type)).toContain('two_factor.locked');
    });

    it('checks a recovery code of a member without an app, counting wrong ones toward its lock', async () => {
      const { who, recoveryCodes } = await withPasskey();
      const check = (code: string) =>
        app
          .get(VerificationService)
          .checkRecoveryCode({ memberId: who.memberId, code }, null)
          .then(
            ({ valid }) => (valid ? 'valid' : 'invalid'),
            (error: { code: string }) => error.code,
          );
      const answers = [await check(recoveryCodes[0])];
      for (let i = 0; i < 10; i += 1, clock.advance(600_000)) answers.push(await check(`ZZZZ-ZZZZ-ZZZ${i}`));
      answers.push(await check(recoveryCodes[0]));

      expect(answers).toEqual([
        'valid',
        ...Array<string>(9).fill('invalid'),
        'second_factor_locked',
        'second_factor_locked',
      ]);
      expect(await app.get(TwoFactorService).status(who.memberId)).toMatchObject({
        locked: true,
        recoveryCodesRemaining: 4,
        clockDriftSeconds: null,
      });
    });

    it('turns 2FA on with the first passkey, with 4 recovery codes that work without an app', async () => {
      const { who, recoveryCodes } = await withPasskey();

      expect(recoveryCodes).toHaveLength(4);
      expect(await app.get(TwoFactorService).status(who.memberId)).toMatchObject({
        enabled: true,
        factors: ['webauthn'],
        passkeys: 1,
        recoveryCodesRemaining: 4,
      });
      const second = await passkeys.registrationOptions(who);
      expect(
        (
          await register(who, {
            name: 'Key',
            response: new SoftwareAuthenticator().create(second.options, ORIGIN),
          })
        ).recoveryCodes,
      ).toBeUndefined();
      expect(
        await app
          .get(VerificationService)
          .verify({ memberId: who.memberId, code: recoveryCodes[0], budget: 'sign_in' }, null),
      ).toEqual({ method: 'recovery_code', recoveryCodesRemaining: 3 });
      expect((await eventsFor(app, who.memberId)).map((e) => [e.type, e.details])).toEqual([
        ['passkey.added', expect.objectContaining({ name: 'Laptop', twoFactorEnabled: true })],
        ['passkey.added', expect.objectContaining({ name: 'Key' })],
        ['recovery_code.used', { remaining: 3 }],
      ]);
    });

    it('turns 2FA off with the last passkey, unless the account requires 2FA', async () => {
      const { who } = await withPasskey();
      const [passkey] = await passkeys.list(who.memberId);
      const remove = async (keepTwoFactor: boolean) =>
        passkeys.remove(
          { memberId: who.memberId, id: passkey.id, keepTwoFactor, grant: await grantOf(who.memberId) },
          null,
        );

      expect((await domainErrorOf(remove(true))).code).toBe('two_factor_required_by_policy');
      expect(await passkeys.list(who.memberId)).toHaveLength(1);
      expect(await remove(false)).toMatchObject({ twoFactorOff: true });
      expect(await app.get(TwoFactorService).status(who.memberId)).toMatchObject({
        enabled: false,
        recoveryCodesRemaining: 0,
      });
    });

    it('signs in without a password only with user verification, and names the member by the passkey', async () => {
      const { who, authenticator } = await withPasskey();
      const { options } = await passkeys.authenticationOptions('passwordless', null);

      expect(options.allowCredentials).toEqual([]);
      expect(options.userVerification).toBe('required');
      expect(await authenticate('passwordless', null, authenticator.get(options, ORIGIN))).toMatchObject({
        memberId: who.memberId,
        userVerified: true,
      });

      const { authenticator: presenceOnly } = await withPasskey(
        new SoftwareAuthenticator({ userVerification: false }),
      );
      const again = await passkeys.authenticationOptions('passwordless', null);
      const error = await domainErrorOf(
        authenticate('passwordless', null, presenceOnly.get(again.options, ORIGIN)),
      );
      expect(error.code).toBe('passkey_refused');
    });
  });
});
