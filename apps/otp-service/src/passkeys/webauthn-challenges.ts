import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { orUnavailable } from '@twofold/platform';
import { Redis } from 'ioredis';

/** What a challenge was issued for: an answer counts only in the same flow, for the same member. */
export type ChallengeFlow = 'registration' | 'second_factor' | 'passwordless' | 'step_up';

/** As long as the browser's ceremony may take (the options ask for at most this). */
export const CHALLENGE_TTL_MS = 5 * 60_000;

interface Issued {
  flow: ChallengeFlow;
  /** null: passwordless, where the credential names its member. */
  memberId: string | null;
}

const key = (challenge: string): string => `otp:webauthn-challenge:${challenge}`;

/**
 * Single-use challenges in Redis, kept under the challenge itself (an answer carries it in its
 * client data): taken with GETDEL, so of two answers at once exactly one finds it.
 */
@Injectable()
export class WebAuthnChallenges {
  constructor(private readonly redis: Redis) {}

  /** 256 random bits, base64url. */
  async issue(flow: ChallengeFlow, memberId: string | null): Promise<string> {
    const challenge = randomBytes(32).toString('base64url');
    const issued: Issued = { flow, memberId };
    await orUnavailable(
      () => this.redis.set(key(challenge), JSON.stringify(issued), 'PX', CHALLENGE_TTL_MS),
      'Passkeys',
    );
    return challenge;
  }

  /** True once; false if it was taken, lapsed, never issued, or issued for another flow or member. */
  async take(challenge: string, flow: ChallengeFlow, memberId: string | null): Promise<boolean> {
    const raw = await orUnavailable(() => this.redis.getdel(key(challenge)), 'Passkeys');
    if (!raw) return false;
    const issued = JSON.parse(raw) as Issued;
    return issued.flow === flow && issued.memberId === memberId;
  }
}
