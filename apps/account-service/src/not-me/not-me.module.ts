import { Module } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { ApplicationCredentialsRepository } from '../application-credentials/application-credentials.repository';
import { AuditRepository } from '../audit/audit.repository';
import { LinkTokensRepository } from '../links/link-tokens.repository';
import { NotMeHandler } from './not-me.handler';
import { NotMeService } from './not-me.service';

@Module({
  controllers: [NotMeHandler],
  providers: [
    NotMeService,
    AccountsRepository,
    LinkTokensRepository,
    ApplicationCredentialsRepository,
    AuditRepository,
  ],
})
export class NotMeModule {}
