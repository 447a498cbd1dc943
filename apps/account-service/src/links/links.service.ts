import { Injectable } from '@nestjs/common';
import { Clock } from '@twofold/platform';
import { linkInvalid } from '../password-reset/password-reset.service';
import { LinkTokensRepository } from './link-tokens.repository';

/** Wrong codes a link takes before it dies (the mailbox may not be the member's). */
export const LINK_CODE_ATTEMPTS = 5;

@Injectable()
export class LinksService {
  constructor(
    private readonly links: LinkTokensRepository,
    private readonly clock: Clock,
  ) {}

  async check(token: string): Promise<{ memberId: string }> {
    const link = await this.links.find('two_factor_resync', token, this.clock.now());
    if (!link) throw linkInvalid();
    return { memberId: link.memberId };
  }

  async codeFailed(
    purpose: 'password_reset' | 'two_factor_resync',
    token: string,
  ): Promise<{ spent: boolean }> {
    return { spent: await this.links.codeFailed(purpose, token, this.clock.now(), LINK_CODE_ATTEMPTS) };
  }

  async use(token: string): Promise<{ used: true }> {
    const used = await this.links.use('two_factor_resync', token, this.clock.now(), () =>
      Promise.resolve(true),
    );
    if (!used) throw linkInvalid();
    return { used: true };
  }
}
