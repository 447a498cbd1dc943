import { base32Decode, totpReference } from './totp-reference';

const PERIOD = 30;

/** Each code is of a step not given before (a server accepts each once), at most one step ahead. */
export class AuthenticatorApp {
  private lastStep = -1;
  readonly secret: Buffer;

  constructor(secret: Buffer | string) {
    this.secret = typeof secret === 'string' ? base32Decode(secret) : secret;
  }

  async nextCode(): Promise<string> {
    for (;;) {
      const current = Math.floor(Date.now() / 1000 / PERIOD);
      const step = Math.max(current, this.lastStep + 1);
      if (step <= current + 1) {
        this.lastStep = step;
        return totpReference(this.secret, step * PERIOD);
      }
      await new Promise((resolve) => setTimeout(resolve, (current + 1) * PERIOD * 1000 - Date.now() + 50));
    }
  }

  /** Never a valid code of a nearby step. */
  wrongCode(): string {
    const current = Math.floor(Date.now() / 1000 / PERIOD);
    const nearby = new Set([-2, -1, 0, 1, 2].map((d) => totpReference(this.secret, (current + d) * PERIOD)));
    for (let candidate = 0; ; candidate += 1) {
      const code = String(
        (Number(totpReference(this.secret, current * PERIOD)) + 123_457 + candidate) % 1_000_000,
      ).padStart(6, '0');
      if (!nearby.has(code)) return code;
    }
  }
}
