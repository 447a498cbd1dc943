import { Global, Module } from '@nestjs/common';
import {
  MemberApplicationCredentialsController,
  MyApplicationCredentialsController,
} from './application-credentials.controller';
import { ApplicationCredentialsService } from './application-credentials.service';

@Global()
@Module({
  controllers: [MyApplicationCredentialsController, MemberApplicationCredentialsController],
  providers: [ApplicationCredentialsService],
  exports: [ApplicationCredentialsService],
})
export class ApplicationCredentialsModule {}
