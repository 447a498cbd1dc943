import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { LanguageHandler } from './language.handler';
import { LanguageService } from './language.service';

@Module({
  imports: [AccountsModule],
  controllers: [LanguageHandler],
  providers: [LanguageService],
})
export class LanguageModule {}
