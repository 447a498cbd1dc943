import { type Session } from './session';
import { isFresh, lastProof } from './step-up';

const signedInAt = new Date('2026-12-01T10:00:00Z');
const session = (over: Partial<Session>): Session =>
  ({
    id: 's',
    memberId: 'm',
    accountId: 'a',
    roles: ['owner'],
    aal: 1,
    methods: ['password'],
    auditId: 'x',
    stamp: '0',
    createdAt: signedInAt.toISOString(),
    expiresAt: '2026-12-01T18:00:00Z',
    ...over,
  }) as Session;
const after = (seconds: number) => new Date(signedInAt.getTime() + seconds * 1000);

describe('step-up freshness', () => {
  const withCode = session({ aal: 2, verifiedAt: signedInAt.toISOString(), verifiedWith: 'second_factor' });
  const withPassword = session({ verifiedAt: signedInAt.toISOString(), verifiedWith: 'password' });

  it('counts a second factor proven within the age limit, and not a second longer', () => {
    expect(isFresh(withCode, after(300), 300, true)).toBe(true);
    expect(isFresh(withCode, after(301), 300, true)).toBe(false);
  });

  it('lets the password stand in only for a member without 2FA', () => {
    expect(isFresh(withPassword, after(10), 300, false)).toBe(true);
    expect(isFresh(withPassword, after(10), 300, true)).toBe(false);
    expect(isFresh(withPassword, after(301), 300, false)).toBe(false);
  });

  it('never counts a proof from the future (a clock gone back)', () => {
    expect(isFresh(withCode, after(-5), 300, true)).toBe(false);
  });

  it('reads a session from before step-up by its creation and its aal', () => {
    expect(lastProof(session({ aal: 2 }))).toEqual({ at: signedInAt, with: 'second_factor' });
    expect(lastProof(session({ aal: 1 }))).toEqual({ at: signedInAt, with: 'password' });
  });

  it('takes a later step-up over the sign-in', () => {
    const stepped = session({ aal: 2, verifiedAt: after(3600).toISOString(), verifiedWith: 'second_factor' });
    expect(isFresh(stepped, after(3700), 300, true)).toBe(true);
  });
});
