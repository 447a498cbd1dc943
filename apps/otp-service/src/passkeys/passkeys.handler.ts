import { PasskeyRpc } from '@twofold/contracts';
import { bindRpc, RpcController } from '@twofold/platform';
import { PasskeysService } from './passkeys.service';

@RpcController()
export class PasskeysHandler {
  constructor(private readonly passkeys: PasskeysService) {}

  readonly rpc = bindRpc(PasskeyRpc, {
    registrationOptions: (request) => this.passkeys.registrationOptions(request),
    register: async ({ name, response, ...member }) => ({
      passkey: await this.passkeys.register(member, { name, response }),
    }),
    list: async (request) => ({ passkeys: await this.passkeys.list(request.memberId) }),
  });
}
