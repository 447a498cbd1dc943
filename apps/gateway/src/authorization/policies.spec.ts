import {
  ACCESS_POLICIES as POLICIES,
  type AccessPolicyName as PolicyName,
  DomainError,
  ROLES,
  type Role,
  SESSION_KINDS,
  type SessionKind,
} from '@twofold/contracts';
import { authorize } from './policies';

/**
 * The matrix, written out: for every policy, which roles from which session kind are allowed.
 * A new policy or role fails this test until someone decides its row.
 */
type Row = Record<SessionKind, boolean>;
const NOTHING: Row = { restricted: false, password: false, second_factor: false };
/** A customer role; the platform's service users are refused every REST route. */
const everyone = (row: Row) => ({ owner: row, admin: row, billing: row, ops: row, service: NOTHING });
const managers = (row: Row) => ({ owner: row, admin: row, billing: NOTHING, ops: NOTHING, service: NOTHING });

const EXPECTED: Record<PolicyName, Record<Role, Record<SessionKind, boolean>>> = {
  signedIn: everyone({ restricted: true, password: true, second_factor: true }),
  self: everyone({ restricted: false, password: true, second_factor: true }),
  selfWithSecondFactor: everyone({ restricted: false, password: false, second_factor: true }),
  addFactor: everyone({ restricted: true, password: true, second_factor: true }),
  selfWithStepUp: everyone({ restricted: false, password: true, second_factor: true }),
  manageMembers: managers({ restricted: false, password: true, second_factor: true }),
  manageMember: managers({ restricted: false, password: true, second_factor: true }),
  changeMember: managers({ restricted: false, password: true, second_factor: true }),
  readAudit: managers({ restricted: false, password: true, second_factor: true }),
  managePolicy: managers({ restricted: false, password: true, second_factor: true }),
  changePolicy: managers({ restricted: false, password: true, second_factor: true }),
  transferOwnership: {
    owner: { restricted: false, password: true, second_factor: true },
    admin: NOTHING,
    billing: NOTHING,
    ops: NOTHING,
    service: NOTHING,
  },
};

const cells = (Object.keys(POLICIES) as PolicyName[]).flatMap((policy) =>
  ROLES.flatMap((role) => SESSION_KINDS.map((kind) => [policy, role, kind] as const)),
);

describe(authorize.name, () => {
  it('has a decided row for every policy', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(POLICIES).sort());
  });

  it.each(cells)('%s × %s × %s session', (policy, role, kind) => {
    const session = {
      roles: [role],
      aal: kind === 'second_factor' ? (2 as const) : (1 as const),
      ...(kind === 'restricted' ? { restricted: true as const } : {}),
    };
    let outcome: true | DomainError = true;
    try {
      authorize(POLICIES[policy], session);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      outcome = error;
    }

    expect(outcome === true).toBe(EXPECTED[policy][role][kind]);
    if (outcome !== true) {
      expect(['forbidden', 'second_factor_session_required', 'two_factor_required']).toContain(outcome.code);
    }
  });

  it('asks a fresh step-up for every sensitive change (team, and own second factors), and for nothing merely looked at', () => {
    const sensitive = (Object.keys(POLICIES) as PolicyName[]).filter(
      (name) => (POLICIES[name] as { stepUp?: true }).stepUp,
    );
    expect(sensitive.sort()).toEqual([
      'addFactor',
      'changeMember',
      'changePolicy',
      'selfWithStepUp',
      'transferOwnership',
    ]);
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
