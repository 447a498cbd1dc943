import { Global, Module } from '@nestjs/common';
import { MfaTokenStore } from './mfa-token.store';
import { SecondFactorSessionGuard, SessionGuard } from './session.guard';
import { SessionStore } from './session.store';

@Global()
@Module({
  providers: [SessionStore, MfaTokenStore, SessionGuard, SecondFactorSessionGuard],
  exports: [SessionStore, MfaTokenStore, SessionGuard, SecondFactorSessionGuard],
})
export class SessionsModule {}
