import {
  base32Decode,
  hotpReference,
  RFC4226_APPENDIX_D,
  secretFromOtpauthUri,
  totpReference,
} from '@twofold/testing';
import {
  codeAt,
  DEFAULT_TOTP,
  matchingStep,
  newSecret,
  otpauthUri,
  resyncStep,
  SECRET_BYTES,
  toBase32,
  type TotpParameters,
} from './totp';

const SEED = {
  SHA1: Buffer.from('12345678901234567890'),
  SHA256: Buffer.from('12345678901234567890123456789012'),
  SHA512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};

/** RFC 6238 Appendix B: time, and the 8-digit code for each algorithm. */
const RFC6238_B: [number, string, string, string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('totp', () => {
  describe('codeAt', () => {
    it.each(RFC6238_B)(
      'matches RFC 6238 Appendix B at T=%d for SHA1, SHA256 and SHA512',
      (time, sha1, sha256, sha512) => {
        const params = (algorithm: TotpParameters['algorithm']): TotpParameters => ({
          algorithm,
          digits: 8,
          period: 30,
        });

        expect(codeAt(SEED.SHA1, time, params('SHA1'))).toBe(sha1);
        expect(codeAt(SEED.SHA256, time, params('SHA256'))).toBe(sha256);
        expect(codeAt(SEED.SHA512, time, params('SHA512'))).toBe(sha512);
      },
    );

    it('matches RFC 4226 Appendix D for counters 0 to 9 (TOTP with T = counter × 30)', () => {
      expect(RFC4226_APPENDIX_D.map((_, counter) => codeAt(SEED.SHA1, counter * 30))).toEqual(
        RFC4226_APPENDIX_D,
      );
    });

    it('agrees with the independent reference on random secrets and times', () => {
      for (let i = 0; i < 200; i += 1) {
        const secret = newSecret();
        const time = Math.floor(Math.random() * 4_000_000_000);

        expect(codeAt(secret, time)).toBe(totpReference(secret, time));
      }
    });
  });

  describe('matchingStep', () => {
    const secret = SEED.SHA1;
    const now = 1_700_000_015; // the middle of step 56666667
    const step = Math.floor(now / 30);
    const codeOfStep = (s: number): string => hotpReference(secret, BigInt(s));

    it('accepts the previous, current and next step, naming the step the code belongs to', () => {
      expect(matchingStep(secret, codeOfStep(step - 1), now)).toBe(step - 1);
      expect(matchingStep(secret, codeOfStep(step), now)).toBe(step);
      expect(matchingStep(secret, codeOfStep(step + 1), now)).toBe(step + 1);
    });

    it('names a step up to three away, as far as a learned drift of ±2 can move the window', () => {
      expect(matchingStep(secret, codeOfStep(step - 3), now)).toBe(step - 3);
      expect(matchingStep(secret, codeOfStep(step + 2), now)).toBe(step + 2);
      expect(matchingStep(secret, codeOfStep(step + 3), now)).toBe(step + 3);
    });

    it('refuses codes four steps away', () => {
      expect(matchingStep(secret, codeOfStep(step - 4), now)).toBeUndefined();
      expect(matchingStep(secret, codeOfStep(step + 4), now)).toBeUndefined();
    });

    it('centres the window on a resynced phone’s base', () => {
      expect(matchingStep(secret, codeOfStep(step + 15), now, DEFAULT_TOTP, 15)).toBe(step + 15);
      expect(matchingStep(secret, codeOfStep(step + 18), now, DEFAULT_TOTP, 15)).toBe(step + 18);
      expect(matchingStep(secret, codeOfStep(step), now, DEFAULT_TOTP, 15)).toBeUndefined();
    });

    it('refuses wrong, short and non-numeric codes', () => {
      const wrong = String((Number(codeOfStep(step)) + 1) % 1_000_000).padStart(6, '0');
      expect(matchingStep(secret, wrong, now)).toBeUndefined();
      expect(matchingStep(secret, codeOfStep(step).slice(1), now)).toBeUndefined();
      expect(matchingStep(secret, 'abcdef', now)).toBeUndefined();
    });
  });

  describe('resyncStep', () => {
    const sixDigits = (code: string) => code.slice(-6);
    // RFC 6238 Appendix B, SHA1: T=1111111109 and T=1111111111 are steps 37037036 and 37037037.
    const first = sixDigits('07081804');
    const second = sixDigits('14050471');
    const secondStep = 37037037;

    it('finds two consecutive codes of the RFC 6238 vectors from a clock up to 10 minutes off', () => {
      for (const off of [-600, -300, -31, 0, 29, 300, 599]) {
        expect(resyncStep(SEED.SHA1, first, second, 1111111111 + off)).toBe(secondStep);
      }
    });

    it('finds nothing past 10 minutes', () => {
      expect(resyncStep(SEED.SHA1, first, second, 1111111111 + 660)).toBeUndefined();
      expect(resyncStep(SEED.SHA1, first, second, 1111111111 - 660)).toBeUndefined();
    });

    it('needs the two codes in order, one step apart', () => {
      expect(resyncStep(SEED.SHA1, second, first, 1111111111)).toBeUndefined();
      expect(resyncStep(SEED.SHA1, first, first, 1111111111)).toBeUndefined();
      const later = hotpReference(SEED.SHA1, BigInt(secondStep + 1));
      expect(resyncStep(SEED.SHA1, first, later, 1111111111)).toBeUndefined();
    });

    it('refuses what is not two codes', () => {
      expect(resyncStep(SEED.SHA1, first, '12345', 1111111111)).toBeUndefined();
      expect(resyncStep(SEED.SHA1, 'abcdef', second, 1111111111)).toBeUndefined();
    });
  });

  describe('newSecret', () => {
    it('makes 160-bit secrets that differ', () => {
      const a = newSecret();
      const b = newSecret();

      expect(a).toHaveLength(SECRET_BYTES);
      expect(SECRET_BYTES * 8).toBe(160);
      expect(a.equals(b)).toBe(false);
    });
  });

  describe('otpauthUri', () => {
    const secret = newSecret();
    const uri = otpauthUri({ issuer: 'Twofold', account: 'alice@acme', secret, params: DEFAULT_TOTP });

    it('names issuer and account, and spells out algorithm, digits and period', () => {
      const url = new URL(uri);

      expect(uri.startsWith('otpauth://totp/Twofold:alice%40acme?')).toBe(true);
      expect(url.searchParams.get('issuer')).toBe('Twofold');
      expect(url.searchParams.get('algorithm')).toBe('SHA1');
      expect(url.searchParams.get('digits')).toBe('6');
      expect(url.searchParams.get('period')).toBe('30');
    });

    it('carries the secret as unpadded base32 that decodes to the same bytes', () => {
      expect(toBase32(secret)).toMatch(/^[A-Z2-7]{32}$/);
      expect(secretFromOtpauthUri(uri).equals(secret)).toBe(true);
      expect(base32Decode(toBase32(secret)).equals(secret)).toBe(true);
    });

    it('escapes an issuer with spaces', () => {
      expect(otpauthUri({ issuer: 'Acme Cloud', account: 'bob', secret, params: DEFAULT_TOTP })).toMatch(
        /^otpauth:\/\/totp\/Acme%20Cloud:bob\?.*&issuer=Acme%20Cloud&/,
      );
    });
  });
});
