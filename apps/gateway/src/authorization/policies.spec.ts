import { DomainError, ROLES, type Role } from '@twofold/contracts';
import { authorize, POLICIES, type PolicyName, type SessionKind } from './policies';

/**
 * The matrix, written out: for every policy, which roles from which session kind are allowed.
 * A new policy or role fails this test until someone decides its row.
 */
const EXPECTED: Record<PolicyName, Record<Role, Record<SessionKind, boolean>>> = {
  self: {
    owner: { password: true, second_factor: true },
    admin: { password: true, second_factor: true },
    billing: { password: true, second_factor: true },
    ops: { password: true, second_factor: true },
  },
  selfWithSecondFactor: {
    owner: { password: false, second_factor: true },
    admin: { password: false, second_factor: true },
    billing: { password: false, second_factor: true },
    ops: { password: false, second_factor: true },
  },
  manageMembers: {
    owner: { password: true, second_factor: true },
    admin: { password: true, second_factor: true },
    billing: { password: false, second_factor: false },
    ops: { password: false, second_factor: false },
  },
  readAudit: {
    owner: { password: true, second_factor: true },
    admin: { password: true, second_factor: true },
    billing: { password: false, second_factor: false },
    ops: { password: false, second_factor: false },
  },
};

const cells = (Object.keys(POLICIES) as PolicyName[]).flatMap((policy) =>
  ROLES.flatMap((role) =>
    (['password', 'second_factor'] as const).map((kind) => [policy, role, kind] as const),
  ),
);

describe(authorize.name, () => {
  it('has a decided row for every policy', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(POLICIES).sort());
  });

  it.each(cells)('%s × %s × %s session', (policy, role, kind) => {
    const session = { roles: [role], aal: kind === 'second_factor' ? (2 as const) : (1 as const) };
    let outcome: true | DomainError = true;
    try {
      authorize(POLICIES[policy], session);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      outcome = error;
    }

    expect(outcome === true).toBe(EXPECTED[policy][role][kind]);
    if (outcome !== true) expect(['forbidden', 'second_factor_session_required']).toContain(outcome.code);
  });

  it('allows a member holding several roles when any of them is allowed', () => {
    expect(() => authorize(POLICIES.manageMembers, { roles: ['ops', 'admin'], aal: 1 })).not.toThrow();
  });

  it('says the role is the problem before the session kind', () => {
    expect(() => authorize(POLICIES.manageMembers, { roles: ['ops'], aal: 1 })).toThrow(
      'Your role does not allow this',
    );
  });
});
