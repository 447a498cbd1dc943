import { QueryFailedError } from 'typeorm';
import { loggedError } from './redaction';

describe(loggedError.name, () => {
  it('logs a failed query without the values it was given, at the top or in its driver error', () => {
    const hash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo';
    const driverError = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
      code: '22021',
      parameters: ['bad\u0000login', hash],
    });
    const error = new QueryFailedError(
      'INSERT INTO members (login, password_hash) VALUES ($1, $2)',
      ['bad\u0000login', hash],
      driverError,
    );

    const logged = JSON.stringify(loggedError(error));

    expect(logged).not.toContain('argon2id');
    expect(logged).toContain('invalid byte sequence');
    expect(logged).toContain('INSERT INTO members');
  });

  it('leaves what is not an error as it is', () => {
    expect(loggedError('a message')).toBe('a message');
  });
});
