import {
  type ApplicationCredential,
  ApplicationCredentialRpc,
  type MemberWithAccount,
  type NewApplicationCredential,
  type Role,
} from '@twofold/contracts';
import { currentRequestMeta, RpcController, RpcHandler, RpcPayload } from '@twofold/platform';
import { ApplicationCredentialsService } from './application-credentials.service';

type Actor = { memberId: string; accountId: string };

@RpcController()
export class ApplicationCredentialsHandler {
  constructor(private readonly credentials: ApplicationCredentialsService) {}

  @RpcHandler(ApplicationCredentialRpc.create)
  create(
    @RpcPayload(ApplicationCredentialRpc.create)
    request: {
      memberId: string;
      credential: NewApplicationCredential;
    },
  ): Promise<{ credential: ApplicationCredential; secret: string }> {
    return this.credentials.create(request.memberId, request.credential);
  }

  @RpcHandler(ApplicationCredentialRpc.list)
  list(
    @RpcPayload(ApplicationCredentialRpc.list) request: { memberId: string },
  ): Promise<{ credentials: ApplicationCredential[] }> {
    return this.credentials.list(request.memberId);
  }

  @RpcHandler(ApplicationCredentialRpc.delete)
  delete(
    @RpcPayload(ApplicationCredentialRpc.delete) request: { memberId: string; id: string },
  ): Promise<{ deleted: true }> {
    return this.credentials.delete(request.memberId, request.id);
  }

  @RpcHandler(ApplicationCredentialRpc.listOfMember)
  listOfMember(
    @RpcPayload(ApplicationCredentialRpc.listOfMember) request: { actor: Actor; memberId: string },
  ): Promise<{ credentials: ApplicationCredential[] }> {
    return this.credentials.listOfMember(request.actor, request.memberId);
  }

  @RpcHandler(ApplicationCredentialRpc.deleteOfMember)
  deleteOfMember(
    @RpcPayload(ApplicationCredentialRpc.deleteOfMember)
    request: {
      actor: Actor;
      memberId: string;
      id: string;
    },
  ): Promise<{ deleted: true }> {
    return this.credentials.deleteOfMember(request.actor, request.memberId, request.id);
  }

  @RpcHandler(ApplicationCredentialRpc.authenticate)
  authenticate(
    @RpcPayload(ApplicationCredentialRpc.authenticate)
    request: {
      id?: string;
      name?: string;
      member?: { memberId: string } | { login: string };
      secret: string;
    },
  ): Promise<
    MemberWithAccount & { securityStamp: string; credential: { id: string; name: string; roles: Role[] } }
  > {
    return this.credentials.authenticate(request, currentRequestMeta()?.ip ?? null);
  }
}
