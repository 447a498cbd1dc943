import { AccountRpc } from '@twofold/contracts';
import { bindRpc, RpcController } from '@twofold/platform';
import { LinksService } from './links.service';

@RpcController()
export class LinksHandler {
  constructor(private readonly links: LinksService) {}

  readonly rpc = bindRpc(AccountRpc, {
    linkCodeFailed: (request) => this.links.codeFailed(request.purpose, request.token),
    checkResyncLink: (request) => this.links.check(request.token),
    useResyncLink: (request) => this.links.use(request.token),
  });
}
