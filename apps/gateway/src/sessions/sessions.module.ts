import { Global, Module } from '@nestjs/common';
import { IpRateLimiter, IpRateLimitGuard } from '../rate-limit/ip-rate-limiter';
import { AuthorizationGuard } from '../authorization/authorization.guard';
import { SessionGuard } from './session.guard';
import { SessionStore } from './session.store';
import { StepUp } from './step-up';

/** Sessions and the guards every HTTP module uses. */
const SHARED = [SessionStore, SessionGuard, AuthorizationGuard, IpRateLimiter, IpRateLimitGuard, StepUp];

@Global()
@Module({ providers: SHARED, exports: SHARED })
export class SessionsModule {}
