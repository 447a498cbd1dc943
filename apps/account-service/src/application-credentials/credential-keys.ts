import { applicationCredentialKey } from '@twofold/platform';
import { type Redis } from 'ioredis';

/**
 * After a change deleted credentials (their tokens already ended with the member's stamp), the
 * keys their tokens lived by go too. Best effort: a key without its row grants nothing.
 */
export async function dropCredentialKeys(
  redis: Redis,
  memberId: string,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  await redis.del(...ids.map((id) => applicationCredentialKey(memberId, id))).catch(() => undefined);
}
