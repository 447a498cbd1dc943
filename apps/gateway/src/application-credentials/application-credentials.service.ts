import { Injectable } from '@nestjs/common';
import {
  ApplicationCredentialRpc,
  DomainError,
  type NewApplicationCredential,
  OtpRpc,
} from '@twofold/contracts';
import { type RequestMeta, RpcClient } from '@twofold/platform';
import { type Session } from '../sessions/session';
import { lastProof, StepUp } from '../sessions/step-up';

/** A credential signs in without a code, so with 2FA on only a session that proved the second factor makes one. */
@Injectable()
export class ApplicationCredentialsService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly stepUp: StepUp,
  ) {}

  async create(session: Session, credential: NewApplicationCredential, meta: RequestMeta) {
    if (session.aal !== 2) {
      const status = await this.rpc.call(OtpRpc.status, { memberId: session.memberId }, { meta });
      if (status.enabled) {
        throw new DomainError(
          'second_factor_session_required',
          'An application credential signs in without a code, so making one needs a session signed in with your second factor. Sign in again with a code, then make it.',
        );
      }
    }
    await this.stepUp.require(session, meta);
    // A password-only credential stops working when 2FA is turned on, until confirmed.
    return this.rpc.call(
      ApplicationCredentialRpc.create,
      {
        memberId: session.memberId,
        credential,
        grant: { stamp: session.stamp },
        secondFactor: lastProof(session).with === 'second_factor',
      },
      { meta },
    );
  }

  async confirm(session: Session, id: string, meta: RequestMeta) {
    await this.stepUp.require(session, meta);
    return this.rpc.call(
      ApplicationCredentialRpc.confirm,
      { memberId: session.memberId, id, grant: { stamp: session.stamp } },
      { meta },
    );
  }

  list(session: Session, meta: RequestMeta) {
    return this.rpc.call(ApplicationCredentialRpc.list, { memberId: session.memberId }, { meta });
  }

  async delete(session: Session, id: string, meta: RequestMeta): Promise<void> {
    await this.rpc.call(ApplicationCredentialRpc.delete, { memberId: session.memberId, id }, { meta });
  }

  listOfMember(session: Session, memberId: string, meta: RequestMeta) {
    return this.rpc.call(
      ApplicationCredentialRpc.listOfMember,
      { actor: actorOf(session), memberId },
      { meta },
    );
  }

  async deleteOfMember(session: Session, memberId: string, id: string, meta: RequestMeta): Promise<void> {
    await this.rpc.call(
      ApplicationCredentialRpc.deleteOfMember,
      { actor: actorOf(session), memberId, id },
      { meta },
    );
  }
}

const actorOf = (session: Session) => ({ memberId: session.memberId, accountId: session.accountId });
