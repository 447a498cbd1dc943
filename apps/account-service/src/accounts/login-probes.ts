import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@twofold/contracts';
import { Clock } from '@twofold/platform';
import { Redis } from 'ioredis';
import { ACCOUNT_CONFIG, type AccountConfig } from '../config/account-config';

const COUNT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
`;
const WINDOW_SECONDS = 3600;

interface ProbesRedis extends Redis {
  loginProbeCount(key: string, windowSeconds: number): Promise<number>;
}

/** Past the limit an address is refused whatever it asks, so the refusal itself tells nothing. */
@Injectable()
export class LoginProbes {
  private readonly redis: ProbesRedis;

  constructor(
    redis: Redis,
    private readonly clock: Clock,
    @Inject(ACCOUNT_CONFIG) private readonly config: Pick<AccountConfig, 'SIGN_UP_CONFLICTS_PER_HOUR'>,
  ) {
    redis.defineCommand('loginProbeCount', { numberOfKeys: 1, lua: COUNT_SCRIPT });
    this.redis = redis as ProbesRedis;
  }

  /** Without Redis the limit is not kept: signing up does not depend on it. */
  async guard<T>(address: string | null, create: () => Promise<T>): Promise<T> {
    const key = this.keyOf(address);
    const seen = Number(await this.redis.get(key).catch(() => 0));
    if (seen >= this.config.SIGN_UP_CONFLICTS_PER_HOUR) throw this.refusal(key);
    try {
      return await create();
    } catch (error) {
      if (
        error instanceof DomainError &&
        (error.code === 'login_taken' || error.code === 'account_name_taken')
      ) {
        await this.redis.loginProbeCount(key, WINDOW_SECONDS).catch(() => undefined);
      }
      throw error;
    }
  }

  private keyOf(address: string | null): string {
    const hour = Math.floor(this.clock.now().getTime() / 1000 / WINDOW_SECONDS);
    return `login-probes:{${address ?? 'unknown'}}:${hour}`;
  }

  private refusal(key: string): DomainError {
    const hour = Number(key.slice(key.lastIndexOf(':') + 1));
    const now = this.clock.now().getTime() / 1000;
    return new DomainError(
      'too_many_attempts',
      'Too many sign-ups from this address named a login or account that is taken. Try again later.',
      { retryAfterSeconds: Math.max(1, Math.ceil((hour + 1) * WINDOW_SECONDS - now)) },
    );
  }
}
