import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { VerificationHandler } from './verification.handler';
import { ActiveCredentials } from './active-credentials';
import { VerificationService } from './verification.service';

@Module({
  imports: [CredentialsModule],
  controllers: [VerificationHandler],
  providers: [VerificationService, ActiveCredentials],
  exports: [VerificationService],
})
export class VerificationModule {}
