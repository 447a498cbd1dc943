import { ApplicationCredentialRpc } from '@twofold/contracts';
import { bindRpc, RpcController } from '@twofold/platform';
import { ApplicationCredentialsService } from './application-credentials.service';

@RpcController()
export class ApplicationCredentialsHandler {
  constructor(private readonly credentials: ApplicationCredentialsService) {}

  readonly rpc = bindRpc(ApplicationCredentialRpc, {
    create: (request, meta) =>
      this.credentials.create(
        request.memberId,
        request.credential,
        {
          ...(request.grant ? { grant: request.grant } : {}),
          secondFactor: request.secondFactor ?? false,
        },
        meta,
      ),
    confirm: (request) => this.credentials.confirm(request.memberId, request.id, request.grant),
    list: (request) => this.credentials.list(request.memberId),
    delete: (request, meta) => this.credentials.delete(request.memberId, request.id, meta),
    listOfMember: (request) => this.credentials.listOfMember(request.actor, request.memberId),
    deleteOfMember: (request, meta) =>
      this.credentials.deleteOfMember(request.actor, request.memberId, request.id, meta),
    authenticate: (request, meta) => this.credentials.authenticate(request, meta.ip),
  });
}
