import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { EnrollmentHandler } from './enrollment.handler';
import { EnrollmentService } from './enrollment.service';

@Module({ imports: [CredentialsModule], controllers: [EnrollmentHandler], providers: [EnrollmentService] })
export class EnrollmentModule {}
