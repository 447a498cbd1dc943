import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { OperatorHandler } from './operator.handler';
import { OperatorService } from './operator.service';

@Module({
  imports: [CredentialsModule],
  controllers: [OperatorHandler],
  providers: [OperatorService],
  exports: [OperatorService],
})
export class OperatorModule {}
