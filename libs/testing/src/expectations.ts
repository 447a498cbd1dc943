import { DomainError } from '@twofold/contracts';

/** The DomainError a promise rejects with; fails the test if it resolves or rejects otherwise. */
export async function domainErrorOf(promise: Promise<unknown>): Promise<DomainError> {
  const outcome: unknown = await promise.then(
    () => new Error('expected a DomainError, but the call succeeded'),
    (error: unknown) => error,
  );
  if (outcome instanceof DomainError) return outcome;
  throw outcome instanceof Error ? outcome : new Error(`expected a DomainError, got ${String(outcome)}`);
}
