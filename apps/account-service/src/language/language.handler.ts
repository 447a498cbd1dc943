import { AccountRpc } from '@twofold/contracts';
import { bindRpc, RpcController } from '@twofold/platform';
import { LanguageService } from './language.service';

@RpcController()
export class LanguageHandler {
  constructor(private readonly language: LanguageService) {}

  readonly rpc = bindRpc(AccountRpc, {
    languageOf: (request) => this.language.of(request.memberId),
    setLanguage: (request) => this.language.set(request.memberId, request.language),
  });
}
