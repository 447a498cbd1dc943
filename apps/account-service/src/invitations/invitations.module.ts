import { Module } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { LinkTokensRepository } from '../links/link-tokens.repository';
import { PasswordAttempts } from '../passwords/password-attempts';
import { PasswordHasher } from '../passwords/password-hasher';
import { InvitationsHandler } from './invitations.handler';
import { InvitationsService } from './invitations.service';

@Module({
  controllers: [InvitationsHandler],
  providers: [InvitationsService, AccountsRepository, LinkTokensRepository, PasswordHasher, PasswordAttempts],
})
export class InvitationsModule {}
