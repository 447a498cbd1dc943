/** The meta of a request from `ip`, as RpcServer hands it to a handler. */
export const metaFrom = (ip: string): { requestId: string; ip: string; userAgent: string } => ({
  requestId: `test-${ip}`,
  ip,
  userAgent: 'jest',
});
