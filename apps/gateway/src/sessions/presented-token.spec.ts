import { type FastifyRequest } from 'fastify';
import { presentedToken } from './session.guard';

const TOKEN = 'PnTiom-Jaoza_02ELqhqlJnTN6tx2l94j9A8aISSDuk';
const request = (headers: Record<string, string>): FastifyRequest =>
  ({ headers }) as unknown as FastifyRequest;

describe(presentedToken.name, () => {
  it('reads a bearer token', () => {
    expect(presentedToken(request({ authorization: `Bearer ${TOKEN}` }))).toBe(TOKEN);
    expect(presentedToken(request({ authorization: `bearer ${TOKEN}` }))).toBe(TOKEN);
  });

  it('reads Keystone-style X-Auth-Token', () => {
    expect(presentedToken(request({ 'x-auth-token': TOKEN }))).toBe(TOKEN);
  });

  it('ignores other schemes and malformed tokens', () => {
    expect(presentedToken(request({ authorization: `Basic ${TOKEN}` }))).toBeUndefined();
    expect(presentedToken(request({ authorization: 'Bearer short' }))).toBeUndefined();
    expect(presentedToken(request({ 'x-auth-token': `${TOKEN}\n` }))).toBeUndefined();
    expect(presentedToken(request({}))).toBeUndefined();
  });
});
