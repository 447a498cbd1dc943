import { Module } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { PolicyHandler } from './policy.handler';
import { PolicyService } from './policy.service';

@Module({ controllers: [PolicyHandler], providers: [PolicyService, AccountsRepository] })
export class PolicyModule {}
