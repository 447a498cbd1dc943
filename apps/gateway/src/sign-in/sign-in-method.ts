import { type MemberWithAccount, type Role, type SecondFactorKind } from '@twofold/contracts';
import { type RequestMeta } from '@twofold/platform';
import { type AuthMethod } from '../sessions/session';
import { type PendingSignIn } from './pending-sign-in.store';

/** Keystone's method names: a recovery code is a `totp` passcode. */
export type Factor = AuthMethod;

/** What proving the password establishes: who signs in, and the member's stamp read before the check. */
export interface ProvenMember {
  member: MemberWithAccount;
  stamp: string;
  credential?: { id: string; name: string; roles: Role[]; secondFactor: boolean };
}

export class SignInAttempt {
  readonly proven = new Set<Factor>();
  who: ProvenMember | undefined;
  /** How a passkey among the proven factors proved the member (RFC 8176). */
  passkey: 'hwk' | 'swk' | undefined;
  /** The second factors the member may use under its account's policy (read once per sign-in). */
  usable: SecondFactorKind[] | undefined;
  passkeyBy: string | undefined;

  constructor(
    readonly meta: RequestMeta,
    readonly resumed?: { token: string; pending: PendingSignIn },
  ) {
    if (resumed) {
      for (const factor of resumed.pending.proven) this.proven.add(factor);
      this.who = { member: resumed.pending.member, stamp: resumed.pending.stamp };
      this.usable = resumed.pending.usable;
      this.passkeyBy = resumed.pending.passkeyBy;
    }
  }
}

/** A method only proves; SignInFlow decides when it may be tried (`after`) and when a sign-in is complete. */
export interface SignInMethod<Input> {
  readonly factor: Factor;
  readonly after: readonly Factor[];
  readonly alone?: boolean;
  /** Tried once the edge's rules on who proved the first factors hold (Keystone's scope, say). */
  readonly secondFactor?: true;
  /** Proven alone, it is both factors (a passkey that verified its user). */
  readonly bothFactors?: true;
  /** The kind of second factor it proves, which the account's policy may refuse. */
  readonly kind?: SecondFactorKind;
  prove(attempt: SignInAttempt, input: Input): Promise<ProvenMember | undefined>;
}
