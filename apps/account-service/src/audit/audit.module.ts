import { Module } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AuditHandler } from './audit.handler';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

@Module({ controllers: [AuditHandler], providers: [AuditService, AuditRepository, AccountsRepository] })
export class AuditModule {}
