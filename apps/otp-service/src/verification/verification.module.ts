import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { SecondFactorAudit } from './second-factor-audit';
import { VerificationHandler } from './verification.handler';
import { VerificationService } from './verification.service';

@Module({
  imports: [CredentialsModule],
  controllers: [VerificationHandler],
  providers: [VerificationService, SecondFactorAudit],
  exports: [VerificationService, SecondFactorAudit],
})
export class VerificationModule {}
