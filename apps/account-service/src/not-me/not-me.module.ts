import { Module } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { MemberChanges } from '../accounts/member-changes';
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
    MemberChanges,
    LinkTokensRepository,
    ApplicationCredentialsRepository,
    AuditRepository,
  ],
})
export class NotMeModule {}
