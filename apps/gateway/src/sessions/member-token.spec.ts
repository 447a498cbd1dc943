import { randomUUID } from 'node:crypto';
import { MEMBER_TOKEN_LENGTH, memberOfToken, newMemberToken, pooledRandomBytes } from './member-token';

describe('member tokens', () => {
  it('name their member and carry 256 bits never handed out twice, across refills of the pool', () => {
    const memberId = randomUUID();
    const tokens = Array.from({ length: 1000 }, () => newMemberToken(memberId));

    expect(new Set(tokens).size).toBe(tokens.length);
    expect(new Set(tokens.map((t) => t.slice(22))).size).toBe(tokens.length);
    for (const token of tokens) {
      expect(token).toHaveLength(MEMBER_TOKEN_LENGTH);
      expect(memberOfToken(token)).toBe(memberId);
    }
  });

  it('draws distinct random bytes of any size', () => {
    const drawn = Array.from({ length: 600 }, (_, i) => pooledRandomBytes(1 + (i % 40)).toString('hex'));
    const big = pooledRandomBytes(10_000);

    expect(new Set(drawn).size).toBeGreaterThan(590);
    expect(big).toHaveLength(10_000);
    expect(new Set(big).size).toBeGreaterThan(200);
  });
});
