import { Global, Module } from '@nestjs/common';
import { IpRateLimiter, IpRateLimitGuard } from '../rate-limit/ip-rate-limiter';
import { MfaTokenStore } from './mfa-token.store';
import { SecondFactorSessionGuard, SessionGuard } from './session.guard';
import { SessionStore } from './session.store';

@Global()
@Module({
  providers: [
    SessionStore,
    MfaTokenStore,
    SessionGuard,
    SecondFactorSessionGuard,
    IpRateLimiter,
    IpRateLimitGuard,
  ],
  exports: [
    SessionStore,
    MfaTokenStore,
    SessionGuard,
    SecondFactorSessionGuard,
    IpRateLimiter,
    IpRateLimitGuard,
  ],
})
export class SessionsModule {}
