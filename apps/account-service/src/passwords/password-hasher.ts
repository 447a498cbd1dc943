import { Injectable } from '@nestjs/common';
import { type Algorithm, hash, verify } from '@node-rs/argon2';

/** OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane. */
// Algorithm is an ambient const enum (not importable as a value with isolatedModules): 2 is Argon2id.
const ARGON2ID_ALGORITHM: Algorithm.Argon2id = 2;
const ARGON2ID = { algorithm: ARGON2ID_ALGORITHM, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class PasswordHasher {
  private dummyHash: Promise<string> | undefined;

  hash(password: string): Promise<string> {
    return hash(password, ARGON2ID);
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }

  /** So that an unknown login cannot be told from a wrong password by timing. */
  async verifyNothing(password: string): Promise<false> {
    this.dummyHash ??= this.hash('twofold-dummy-password-for-timing');
    await this.verify(await this.dummyHash, password);
    return false;
  }
}
