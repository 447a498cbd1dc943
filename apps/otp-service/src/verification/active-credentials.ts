import { Injectable } from '@nestjs/common';
import { type Credential, CredentialsRepository } from '../credentials/credentials.repository';
import { AttemptLimiter, REMOVED_VERSION } from './attempt-limiter';

/** A copy is dropped after this long at the latest, whatever its version says. */
const MAX_AGE_MS = 5 * 60 * 1000;
const MAX_ENTRIES = 100_000;

/**
 * Members' active credentials as this instance last read them, so that checking a code does
 * not read Postgres when nothing changed. A copy is only as good as its version: every check
 * made with it names that version to the attempt script, which refuses (`stale`, counting
 * nothing) once the stored credential has changed — locked, unlocked, sealed anew, removed —
 * on any instance. A locked credential is never kept: its unlocking must be seen at once.
 */
@Injectable()
export class ActiveCredentials {
  private readonly copies = new Map<string, { credential: Credential; version: string; readAt: number }>();

  constructor(
    private readonly credentials: CredentialsRepository,
    private readonly limiter: AttemptLimiter,
  ) {}

  async get(memberId: string): Promise<{ credential: Credential; version: string } | undefined> {
    const copy = this.copies.get(memberId);
    if (copy && Date.now() - copy.readAt < MAX_AGE_MS) return copy;
    return this.read(memberId);
  }

  /** The stored credential, read now (after a `stale` answer, or for a recovery code). */
  async read(memberId: string): Promise<{ credential: Credential; version: string } | undefined> {
    this.copies.delete(memberId);
    const credential = await this.credentials.findActive(memberId);
    if (!credential) return undefined;
    const version = await this.limiter.versionOf(credential.id);
    // Removed since it was read: it is not on (and no copy of it is kept).
    if (version === REMOVED_VERSION) return undefined;
    if (!credential.lockedAt) {
      if (this.copies.size >= MAX_ENTRIES) this.copies.delete(this.copies.keys().next().value!);
      this.copies.set(memberId, { credential, version, readAt: Date.now() });
    }
    return { credential, version };
  }
}
