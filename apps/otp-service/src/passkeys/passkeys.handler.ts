import { PasskeyRpc } from '@twofold/contracts';
import { bindRpc, RpcController } from '@twofold/platform';
import { PasskeysService } from './passkeys.service';

@RpcController()
export class PasskeysHandler {
  constructor(private readonly passkeys: PasskeysService) {}

  readonly rpc = bindRpc(PasskeyRpc, {
    registrationOptions: (request) => this.passkeys.registrationOptions(request),
    register: ({ name, response, grant, ...member }, meta) =>
      this.passkeys.register(member, { name, response, grant }, meta),
    list: async (request) => ({ passkeys: await this.passkeys.list(request.memberId) }),
    rename: (request) => this.passkeys.rename(request.memberId, request.id, request.name),
    remove: (request, meta) => this.passkeys.remove(request, meta),
    authenticationOptions: (request) => this.passkeys.authenticationOptions(request.flow, request.memberId),
    authenticate: (request, meta) => this.passkeys.authenticate(request, meta),
  });
}
