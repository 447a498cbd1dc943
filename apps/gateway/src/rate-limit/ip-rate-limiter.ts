import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@twofold/contracts';
import { Clock, orUnavailable } from '@twofold/platform';
import { type FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';

const WINDOW_SECONDS = 60;
const BUCKET = Symbol('rate-limit-bucket');

type LimitName = 'AUTH_RATE_LIMIT_PER_MINUTE' | 'PASSWORD_RESET_RATE_LIMIT_PER_MINUTE';

/** KEYS[1] the window's counter; ARGV its life (s) → the count, this call included. */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
`;

interface RateLimitRedis extends Redis {
  rateLimitHit(key: string, ttlSeconds: number): Promise<number>;
}

/** Generous on purpose (an office shares one address): otp-service's per-member counters protect. */
@Injectable()
export class IpRateLimiter {
  private readonly redis: RateLimitRedis;

  constructor(
    redis: Redis,
    private readonly clock: Clock,
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, LimitName>,
  ) {
    redis.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    this.redis = redis as RateLimitRedis;
  }

  async hit(bucket: string, ip: string, limit: LimitName = 'AUTH_RATE_LIMIT_PER_MINUTE'): Promise<void> {
    const now = this.clock.now().getTime() / 1000;
    const window = Math.floor(now / WINDOW_SECONDS);
    const key = `ratelimit:${bucket}:${ip}:${window}`;
    const count = await orUnavailable(() => this.redis.rateLimitHit(key, WINDOW_SECONDS * 2), 'This request');
    if (count > this.config[limit]) {
      throw new DomainError(
        'too_many_attempts',
        'Too many requests from this address. Wait a moment before trying again.',
        {
          retryAfterSeconds: Math.max(1, Math.ceil((window + 1) * WINDOW_SECONDS - now)),
        },
      );
    }
  }
}

@Injectable()
export class IpRateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: IpRateLimiter,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { bucket, limit } = this.reflector.get<{ bucket: string; limit?: LimitName }>(
      BUCKET,
      context.getHandler(),
    );
    await this.limiter.hit(bucket, context.switchToHttp().getRequest<FastifyRequest>().ip, limit);
    return true;
  }
}

export const RateLimitedByIp = (bucket: string, limit?: LimitName): MethodDecorator =>
  applyDecorators(SetMetadata(BUCKET, { bucket, limit }), UseGuards(IpRateLimitGuard));
