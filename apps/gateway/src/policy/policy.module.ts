import { Module } from '@nestjs/common';
import { ComplianceController } from './compliance.controller';
import { PolicyController } from './policy.controller';

@Module({ controllers: [PolicyController, ComplianceController] })
export class PolicyModule {}
