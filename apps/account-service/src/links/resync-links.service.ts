import { Injectable } from '@nestjs/common';
import { Clock } from '@twofold/platform';
import { linkInvalid } from '../password-reset/password-reset.service';
import { LinkTokensRepository } from './link-tokens.repository';

/**
 * The links an owner or admin has e-mailed to realign a member's authenticator: checked before
 * the resync (which otp-service counts like any code), spent once it succeeded.
 */
@Injectable()
export class ResyncLinksService {
  constructor(
    private readonly links: LinkTokensRepository,
    private readonly clock: Clock,
  ) {}

  async check(token: string): Promise<{ memberId: string }> {
    const link = await this.links.find('two_factor_resync', token, this.clock.now());
    if (!link) throw linkInvalid();
    return { memberId: link.memberId };
  }

  async use(token: string): Promise<{ used: true }> {
    const used = await this.links.use('two_factor_resync', token, this.clock.now(), () =>
      Promise.resolve(true),
    );
    if (!used) throw linkInvalid();
    return { used: true };
  }
}
