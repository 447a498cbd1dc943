import { Module } from '@nestjs/common';
import { AuditRepository } from '../audit/audit.repository';
import { SecurityEventsProcessor } from './security-events.processor';

@Module({ providers: [SecurityEventsProcessor, AuditRepository] })
export class NotificationsModule {}
