import { DomainError, ERROR_CODES, errorPayloadSchema, validationError } from './errors';
import { signUpRequestSchema } from './account';

describe('validationError', () => {
  it('names every invalid field with its rule', () => {
    const result = signUpRequestSchema.safeParse({
      accountName: '',
      login: 'x',
      email: 'nope',
      password: 'short',
    });
    if (result.success) throw new Error('expected the sign-up to be invalid');

    const error = validationError(result.error, 'request body');

    expect(error.code).toBe('validation_failed');
    expect(error.details?.map((d) => d.path).sort()).toEqual(['accountName', 'email', 'login', 'password']);
    expect(error.message).toContain('password: must be at least 12 characters');
  });

  it('never echoes the submitted values', () => {
    const secret = 'hunter2-secret';
    const result = signUpRequestSchema.safeParse({
      accountName: 'A',
      login: 'alice',
      email: secret,
      password: secret,
    });
    if (result.success) throw new Error('expected the sign-up to be invalid');

    const error = validationError(result.error);

    expect(JSON.stringify(error.toPayload())).not.toContain(secret);
  });

  it('reports unknown fields instead of silently dropping them', () => {
    const result = signUpRequestSchema.safeParse({
      accountName: 'Acme',
      login: 'alice',
      email: 'alice@example.com',
      password: 'long enough password',
      roles: ['admin'],
    });

    expect(result.success).toBe(false);
  });
});

describe(DomainError.name, () => {
  it('round-trips through its wire payload', () => {
    const original = new DomainError('login_taken', 'This login is already taken.');

    const copy = DomainError.fromPayload(
      errorPayloadSchema.parse(JSON.parse(JSON.stringify(original.toPayload()))),
    );

    expect(copy).toBeInstanceOf(DomainError);
    expect(copy.code).toBe('login_taken');
    expect(copy.message).toBe('This login is already taken.');
  });

  it('has only snake_case codes', () => {
    for (const code of ERROR_CODES) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });
});
