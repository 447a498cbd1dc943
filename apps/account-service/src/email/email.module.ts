import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { LinkTokensRepository } from '../links/link-tokens.repository';
import { EmailHandler } from './email.handler';
import { EmailService } from './email.service';

@Module({
  imports: [AccountsModule],
  controllers: [EmailHandler],
  providers: [EmailService, LinkTokensRepository],
})
export class EmailModule {}
