import { Module } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { SessionsHandler } from './sessions.handler';
import { SessionsService } from './sessions.service';

@Module({ controllers: [SessionsHandler], providers: [SessionsService, AccountsRepository] })
export class SessionsModule {}
