import { Injectable } from '@nestjs/common';
import { Clock } from '@twofold/platform';
import { type KeyedHash, SecretBox } from '../crypto/secret-box';
import { canonicalRecoveryCode, newRecoveryCode, RECOVERY_CODE_COUNT } from './recovery-code-format';

export interface IssuedCodes {
  hashes: KeyedHash[];
  issuedAt: Date;
}

/** A fresh set of recovery codes: the plain codes to show once, and the keyed hashes to store. */
@Injectable()
export class RecoveryCodeIssuer {
  constructor(
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  issue(): IssuedCodes & { plain: string[] } {
    const plain = Array.from({ length: RECOVERY_CODE_COUNT }, () => newRecoveryCode());
    return {
      plain,
      hashes: plain.map((code) => this.box.hashForStorage(canonicalRecoveryCode(code)!)),
      issuedAt: this.clock.now(),
    };
  }
}
