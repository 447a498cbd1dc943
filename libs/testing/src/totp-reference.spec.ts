import { hotpReference, RFC4226_APPENDIX_D, totpReference } from './totp-reference';

/** The reference must itself reproduce the RFCs before it can judge anything. */
describe('the reference TOTP/HOTP', () => {
  it('reproduces RFC 4226 Appendix D', () => {
    const secret = Buffer.from('12345678901234567890');
    expect(RFC4226_APPENDIX_D.map((_, i) => hotpReference(secret, BigInt(i)))).toEqual(RFC4226_APPENDIX_D);
  });

  it('reproduces an RFC 6238 Appendix B row for each algorithm', () => {
    expect(totpReference(Buffer.from('12345678901234567890'), 59, { digits: 8 })).toBe('94287082');
    expect(
      totpReference(Buffer.from('12345678901234567890123456789012'), 59, { digits: 8, algorithm: 'sha256' }),
    ).toBe('46119246');
    expect(
      totpReference(Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'), 59, {
        digits: 8,
        algorithm: 'sha512',
      }),
    ).toBe('90693936');
  });
});
