import { Global, Module } from '@nestjs/common';
import { SessionGuard } from './session.guard';
import { SessionStore } from './session.store';

@Global()
@Module({ providers: [SessionStore, SessionGuard], exports: [SessionStore, SessionGuard] })
export class SessionsModule {}
