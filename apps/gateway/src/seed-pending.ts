import { readFileSync, writeFileSync } from 'node:fs';
import { type MemberWithAccount, type SecondFactorKind } from '@twofold/contracts';
import { createRedisClient, redisTargetOf, runMain, SecurityStamps, SystemClock } from '@twofold/platform';
import { loadGatewayConfig } from './config/gateway-config';
import { PendingSignInStore } from './sign-in/pending-sign-in.store';

/**
 * `node apps/gateway/dist/seed-pending.js <members.json> <count-per-member> <out.json>`: MFA tokens for load
 * tests, so that a benchmark measures the second factor and not argon2.
 */
runMain('gateway seed-pending', async () => {
  const [membersFile, perMember, outFile] = process.argv.slice(2);
  // `factors`: the member's second factors (default: an authenticator app).
  const members = JSON.parse(readFileSync(membersFile ?? '', 'utf8')) as (MemberWithAccount & {
    factors?: SecondFactorKind[];
  })[];
  const config = loadGatewayConfig();
  const redis = createRedisClient(redisTargetOf(config), config.REDIS_KEY_PREFIX, 'gateway-seed');
  await redis.connect();
  try {
    const store = new PendingSignInStore(redis, new SystemClock(), config);
    const stamps = new SecurityStamps(redis);
    const tokens: string[][] = [];
    for (let i = 0; i < members.length; i += 500) {
      const batch = members.slice(i, i + 500);
      tokens.push(
        ...(await Promise.all(
          batch.map(async (member) => {
            const stamp = await stamps.current(member.user.id);
            const issued = await Promise.all(
              Array.from({ length: Number(perMember ?? 1) }, () =>
                store.issue({
                  member: { user: member.user, account: member.account },
                  proven: ['password'],
                  stamp,
                  usable: member.factors ?? ['totp'],
                }),
              ),
            );
            return issued.map((p) => p!.token);
          }),
        )),
      );
      process.stdout.write(`${tokens.length}/${members.length}\n`);
    }
    writeFileSync(outFile ?? '', JSON.stringify(tokens));
    process.stdout.write(`Minted ${tokens.flat().length} pending sign-in(s).\n`);
  } finally {
    redis.disconnect();
  }
});
