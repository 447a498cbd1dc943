import { ApplicationCredentialRpc } from '@twofold/contracts';
import { bindRpc, currentRequestMeta, RpcController } from '@twofold/platform';
import { ApplicationCredentialsService } from './application-credentials.service';

@RpcController()
export class ApplicationCredentialsHandler {
  constructor(private readonly credentials: ApplicationCredentialsService) {}

  readonly rpc = bindRpc(ApplicationCredentialRpc, {
    create: (request) =>
      this.credentials.create(request.memberId, request.credential, {
        ...(request.grant ? { grant: request.grant } : {}),
        secondFactor: request.secondFactor ?? false,
      }),
    confirm: (request) => this.credentials.confirm(request.memberId, request.id, request.grant),
    list: (request) => this.credentials.list(request.memberId),
    delete: (request) => this.credentials.delete(request.memberId, request.id),
    listOfMember: (request) => this.credentials.listOfMember(request.actor, request.memberId),
    deleteOfMember: (request) => this.credentials.deleteOfMember(request.actor, request.memberId, request.id),
    authenticate: (request) => this.credentials.authenticate(request, currentRequestMeta()?.ip ?? null),
  });
}
