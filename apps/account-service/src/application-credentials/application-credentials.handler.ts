import {
  type ApplicationCredential,
  ApplicationCredentialRpc,
  type RpcRequest,
  type RpcResponse,
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
    request: RpcRequest<typeof ApplicationCredentialRpc.create>,
  ): Promise<RpcResponse<typeof ApplicationCredentialRpc.create>> {
    return this.credentials.create(request.memberId, request.credential, {
      ...(request.grant ? { grant: request.grant } : {}),
      secondFactor: request.secondFactor ?? false,
    });
  }

  @RpcHandler(ApplicationCredentialRpc.confirm)
  confirm(
    @RpcPayload(ApplicationCredentialRpc.confirm)
    request: RpcRequest<typeof ApplicationCredentialRpc.confirm>,
  ): Promise<RpcResponse<typeof ApplicationCredentialRpc.confirm>> {
    return this.credentials.confirm(request.memberId, request.id, request.grant);
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
  ): Promise<RpcResponse<typeof ApplicationCredentialRpc.authenticate>> {
    return this.credentials.authenticate(request, currentRequestMeta()?.ip ?? null);
  }
}
