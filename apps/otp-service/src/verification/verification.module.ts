import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { VerificationHandler } from './verification.handler';
import { VerificationService } from './verification.service';

@Module({
  imports: [CredentialsModule],
  controllers: [VerificationHandler],
  providers: [VerificationService],
  exports: [VerificationService],
})
export class VerificationModule {}
