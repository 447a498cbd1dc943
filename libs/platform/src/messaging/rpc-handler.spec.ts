import { OtpRpc } from '@twofold/contracts';
import { bindRpc, isRpcBinding } from './rpc-handler';

describe('handlers bound to a contract group by key', () => {
  it('serve each call with its definition', () => {
    const binding = bindRpc(OtpRpc, { test: ({ code }) => ({ valid: code === '123456' }) });

    expect(isRpcBinding(binding)).toBe(true);
    expect(binding.handlers.map((h) => h.definition.subject)).toEqual([OtpRpc.test.subject]);
  });

  it('take and answer the shapes of their schemas, or the service does not compile', () => {
    // Each @ts-expect-error below fails `npm run typecheck` once the compiler stops refusing its line.
    const wrong = [
      // @ts-expect-error: otp.v1.test answers `{ valid: boolean }`.
      bindRpc(OtpRpc, { test: () => ({ valid: 'yes' }) }),
      // @ts-expect-error: its request has `memberId` and `code`, not `password`.
      bindRpc(OtpRpc, { test: ({ password }) => ({ valid: password === '' }) }),
    ];
    expect(wrong).toHaveLength(2);
  });

  it('refuse a key that is no call of the group', () => {
    // @ts-expect-error: `tset` is no call of OtpRpc.
    expect(() => bindRpc(OtpRpc, { tset: () => ({ valid: true }) })).toThrow('tset is no call');
  });
});
