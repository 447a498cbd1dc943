import { isOutage } from './rpc-server';

describe(isOutage.name, () => {
  const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

  it('takes a dependency out of reach for an outage (answered 503, try again)', () => {
    expect(isOutage(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true);
    expect(isOutage(withCode('terminating connection due to administrator command', '57P01'))).toBe(true);
    expect(isOutage(withCode('the database system is starting up', '57P03'))).toBe(true);
    expect(isOutage(withCode('connection failure', '08006'))).toBe(true);
    expect(isOutage(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it('leaves every other error a fault of the code (answered 500 with an error id)', () => {
    expect(isOutage(withCode('duplicate key value violates unique constraint', '23505'))).toBe(false);
    expect(isOutage(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isOutage('ECONNREFUSED')).toBe(false);
  });
});
