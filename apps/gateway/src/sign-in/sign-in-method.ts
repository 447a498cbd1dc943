import { type MemberWithAccount, type Role } from '@twofold/contracts';
import { type RequestMeta } from '@twofold/platform';
import { type AuthMethod } from '../sessions/session';
import { type PendingSignIn } from './pending-sign-in.store';

/** A factor a sign-in can prove, in Keystone's method names (a recovery code is a `totp` passcode). */
export type Factor = AuthMethod;

/** What proving the password establishes: who signs in, and the member's stamp read before the check. */
export interface ProvenMember {
  member: MemberWithAccount;
  stamp: string;
  /** Proven by an application credential: its tokens carry these roles, and end with it. */
  credential?: { id: string; name: string; roles: Role[]; secondFactor: boolean };
}

/** One sign-in in progress (a REST sign-in, a Keystone request, or one resumed from a pending sign-in). */
export class SignInAttempt {
  readonly proven = new Set<Factor>();
  who: ProvenMember | undefined;

  constructor(
    /** Who asked: every service call the sign-in makes carries it. */
    readonly meta: RequestMeta,
    readonly resumed?: { token: string; pending: PendingSignIn },
  ) {
    if (resumed) {
      for (const factor of resumed.pending.proven) this.proven.add(factor);
      this.who = { member: resumed.pending.member, stamp: resumed.pending.stamp };
    }
  }
}

/**
 * One way of proving one factor — the way Kratos has one strategy per method. A method only
 * proves; SignInService decides, for every method alike, when it may be tried (`after`: the
 * factors the same sign-in must have proven first) and when a sign-in is complete.
 */
export interface SignInMethod<Input> {
  readonly factor: Factor;
  readonly after: readonly Factor[];
  /** A method that is a whole sign-in by itself, never combined with another (an application credential). */
  readonly alone?: boolean;
  /** Proves the factor (throws a DomainError if it is not); the password method says for whom. */
  prove(attempt: SignInAttempt, input: Input): Promise<ProvenMember | undefined>;
}
