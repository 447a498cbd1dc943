import { canonicalRecoveryCode, classifyCode, newRecoveryCode } from './recovery-code-format';

describe('recovery codes', () => {
  it('are 12 Crockford base32 symbols (60 bits) in three groups', () => {
    const code = newRecoveryCode();

    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(12 * Math.log2(32)).toBeGreaterThanOrEqual(50);
  });

  it('differ from one another', () => {
    const codes = new Set(Array.from({ length: 1000 }, () => newRecoveryCode()));

    expect(codes.size).toBe(1000);
  });

  it('read the same whatever the case, spaces and dashes', () => {
    const code = newRecoveryCode();
    const canonical = canonicalRecoveryCode(code);

    expect(canonicalRecoveryCode(code.toLowerCase())).toBe(canonical);
    expect(canonicalRecoveryCode(code.replace(/-/g, ''))).toBe(canonical);
    expect(canonicalRecoveryCode(` ${code.replace(/-/g, ' ')} `)).toBe(canonical);
  });

  it.each([
    ['hyphen', '\u2010'],
    ['non-breaking hyphen', '\u2011'],
    ['en dash', '\u2013'],
    ['em dash', '\u2014'],
    ['minus sign', '\u2212'],
    ['fullwidth hyphen-minus', '\uFF0D'],
  ])('read the same when typed with a typographic dash (%s)', (_name, dash) => {
    const code = newRecoveryCode();

    expect(canonicalRecoveryCode(code.replace(/-/g, dash))).toBe(canonicalRecoveryCode(code));
    expect(classifyCode(code.replace(/-/g, dash), 6)).toEqual({
      kind: 'recovery_code',
      canonical: canonicalRecoveryCode(code),
    });
  });

  it('forgive letters mistaken for digits', () => {
    expect(canonicalRecoveryCode('O0IL-1111-2222')).toBe('001111112222');
  });

  it('refuse anything of another length or alphabet', () => {
    expect(canonicalRecoveryCode('ABCD-EFGH-JKM')).toBeUndefined();
    expect(canonicalRecoveryCode('ABCD-EFGH-JKMU')).toBeUndefined();
  });
});

describe('classifyCode', () => {
  it('tells a TOTP code from a recovery code', () => {
    expect(classifyCode('123456', 6)).toEqual({ kind: 'totp', code: '123456' });
    expect(classifyCode('123 456', 6)).toEqual({ kind: 'totp', code: '123456' });
    expect(classifyCode('abcd-efgh-jkmn', 6)).toEqual({ kind: 'recovery_code', canonical: 'ABCDEFGHJKMN' });
  });

  it('recognises neither in anything else', () => {
    expect(classifyCode('12345', 6)).toBeUndefined();
    expect(classifyCode('hello', 6)).toBeUndefined();
  });
});
