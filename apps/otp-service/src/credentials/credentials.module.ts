import { Module } from '@nestjs/common';
import { TwoFactorStatusHandler } from '../status/two-factor-status.handler';
import { CredentialsRepository } from './credentials.repository';

@Module({
  controllers: [TwoFactorStatusHandler],
  providers: [CredentialsRepository],
})
export class CredentialsModule {}
