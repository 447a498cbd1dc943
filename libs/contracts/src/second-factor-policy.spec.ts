import { accountPolicyUpdateSchema, usableFactors } from './account';

const policy = (allowed: ('totp' | 'webauthn')[], phishingResistantFor: string[] = []) => ({
  allowedSecondFactors: allowed,
  phishingResistantFor: phishingResistantFor as ('owner' | 'admin')[],
});

describe(usableFactors.name, () => {
  it('lets a member use every factor it has under the default policy', () => {
    expect(usableFactors(policy(['totp', 'webauthn']), ['admin'], ['totp', 'webauthn'])).toEqual([
      'totp',
      'webauthn',
    ]);
  });

  it('asks a member of a named role for its passkey once it has one', () => {
    const rule = policy(['totp', 'webauthn'], ['owner', 'admin']);

    expect(usableFactors(rule, ['admin'], ['totp', 'webauthn'])).toEqual(['webauthn']);
    expect(usableFactors(rule, ['billing'], ['totp', 'webauthn'])).toEqual(['totp', 'webauthn']);
  });

  it('keeps the app of a named member who has no passkey yet (its grace to add one)', () => {
    expect(usableFactors(policy(['totp', 'webauthn'], ['owner']), ['owner'], ['totp'])).toEqual(['totp']);
  });

  it('narrows to the allowed kinds where the member has one, and never leaves it with none', () => {
    expect(usableFactors(policy(['webauthn']), ['ops'], ['totp', 'webauthn'])).toEqual(['webauthn']);
    expect(usableFactors(policy(['totp']), ['ops'], ['webauthn'])).toEqual(['webauthn']);
  });
});

describe('the policy’s second-factor settings', () => {
  it('takes kinds and roles in any order, once each, and at least one kind', () => {
    expect(
      accountPolicyUpdateSchema.parse({
        allowedSecondFactors: ['webauthn', 'totp', 'webauthn'],
        phishingResistantFor: ['owner', 'admin'],
      }),
    ).toEqual({ allowedSecondFactors: ['totp', 'webauthn'], phishingResistantFor: ['admin', 'owner'] });
    expect(accountPolicyUpdateSchema.safeParse({ allowedSecondFactors: [] }).success).toBe(false);
    expect(accountPolicyUpdateSchema.safeParse({ phishingResistantFor: ['service'] }).success).toBe(false);
  });
});
