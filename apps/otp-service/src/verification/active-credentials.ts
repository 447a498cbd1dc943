import { Injectable } from '@nestjs/common';
import { type Credential, CredentialsRepository } from '../credentials/credentials.repository';
import { REMOVED_VERSION } from './attempt-limiter';

/** A copy is dropped after this long at the latest, whatever its version says. */
const MAX_AGE_MS = 5 * 60 * 1000;
const MAX_ENTRIES = 100_000;

export interface CredentialCopy {
  credential: Credential;
  version: string;
}

/**
 * Members' active credentials as this instance last read them, so that checking a code does
 * not read Postgres when nothing changed. A copy is only as good as its version: every check
 * made with it names that version to the attempt script, which refuses (`stale`, counting
 * nothing) once the stored credential has changed — locked, unlocked, sealed anew, removed —
 * on any instance. A copy is kept under the version that the attempt made right after reading
 * it answered (`removed` if the credential was removed in between: never kept). A locked
 * credential is never kept: its unlocking must be seen at once.
 */
@Injectable()
export class ActiveCredentials {
  private readonly copies = new Map<string, CredentialCopy & { readAt: number }>();

  constructor(private readonly credentials: CredentialsRepository) {}

  /** This instance's recent copy of the member's credential, if it has one. */
  cached(memberId: string): CredentialCopy | undefined {
    const copy = this.copies.get(memberId);
    if (copy && Date.now() - copy.readAt < MAX_AGE_MS) return copy;
    return undefined;
  }

  /** The stored credential, read now (any copy is dropped). */
  stored(memberId: string): Promise<Credential | undefined> {
    this.copies.delete(memberId);
    return this.credentials.findActive(memberId);
  }

  /** Keeps a copy of a credential just read, under the version its first attempt answered. */
  keep(memberId: string, credential: Credential, version: string): void {
    if (credential.lockedAt || version === '' || version === REMOVED_VERSION) return;
    if (this.copies.size >= MAX_ENTRIES) this.copies.delete(this.copies.keys().next().value!);
    this.copies.set(memberId, { credential, version, readAt: Date.now() });
  }
}
