import { AccountRpc, DomainError, type SecondFactorKind } from '@twofold/contracts';
import { type RequestMeta, type RpcClient } from '@twofold/platform';
import { type Session } from '../sessions/session';

/** A kind of second factor the account's policy does not allow is not added. */
export async function allowed(
  rpc: RpcClient,
  session: Session,
  kind: SecondFactorKind,
  meta: RequestMeta,
): Promise<void> {
  const policy = await rpc.call(AccountRpc.policyOfMember, { memberId: session.memberId }, { meta });
  if (!policy.allowedSecondFactors.includes(kind)) {
    throw new DomainError(
      'second_factor_not_allowed',
      kind === 'webauthn'
        ? 'Your account does not allow passkeys: use an authenticator app.'
        : 'Your account allows only passkeys as the second factor.',
    );
  }
}
