import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { TwoFactorHandler } from './two-factor.handler';
import { TwoFactorService } from './two-factor.service';

@Module({ imports: [CredentialsModule], controllers: [TwoFactorHandler], providers: [TwoFactorService] })
export class TwoFactorModule {}
