import { ApiError, createClient, type StepUpNeed, urlOf } from './index';

const answer = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const stepUpRequired = () =>
  answer(403, {
    error: {
      code: 'step_up_required',
      message: 'This change needs your second factor again.',
      stepUp: { maxAgeSeconds: 300, with: 'code' },
    },
  });

describe('the typed client of the REST API', () => {
  it('asks for a step-up, then sends what the member clicked again, once', async () => {
    const calls: string[] = [];
    const answers = [stepUpRequired(), answer(201, { recoveryCodes: ['A'] })];
    const asked: StepUpNeed[] = [];
    const api = createClient({
      token: () => 't',
      onSessionEnded: () => undefined,
      onStepUp: (need) => {
        asked.push(need);
        return Promise.resolve(true);
      },
      fetch: (url, init) => {
        calls.push(`${init?.method} ${url as string}`);
        return Promise.resolve(answers.shift()!);
      },
    });

    await expect(api.call('POST /api/v1/me/two-factor/recovery-codes')).resolves.toEqual({
      recoveryCodes: ['A'],
    });
    expect(asked).toEqual([{ maxAgeSeconds: 300, with: 'code' }]);
    expect(calls).toEqual([
      'POST /api/v1/me/two-factor/recovery-codes',
      'POST /api/v1/me/two-factor/recovery-codes',
    ]);
  });

  it('gives up with the refusal when the member cancels, and never asks twice for one click', async () => {
    let asked = 0;
    const make = (steppedUp: boolean, answers: Response[]) =>
      createClient({
        token: () => 't',
        onSessionEnded: () => undefined,
        onStepUp: () => {
          asked += 1;
          return Promise.resolve(steppedUp);
        },
        fetch: () => Promise.resolve(answers.shift()!),
      });

    await expect(make(false, [stepUpRequired()]).call('DELETE /api/v1/me/two-factor')).rejects.toMatchObject({
      code: 'step_up_required',
    });
    await expect(
      make(true, [stepUpRequired(), stepUpRequired()]).call('DELETE /api/v1/me/two-factor'),
    ).rejects.toMatchObject({ code: 'step_up_required' });
    expect(asked).toBe(2);
  });

  it('does not ask for a step-up about the step-up itself', async () => {
    let asked = 0;
    const api = createClient({
      token: () => 't',
      onSessionEnded: () => undefined,
      onStepUp: () => {
        asked += 1;
        return Promise.resolve(true);
      },
      fetch: () => Promise.resolve(stepUpRequired()),
    });

    await expect(api.call('POST /api/v1/auth/step-up', { body: { code: '123456' } })).rejects.toMatchObject({
      code: 'step_up_required',
    });
    expect(asked).toBe(0);
  });

  it('fills path parameters encoded and leaves out a query value not given', () => {
    expect(
      urlOf('DELETE /api/v1/account/members/:id/application-credentials/:credentialId', {
        params: { id: 'a/b', credentialId: 'c d' },
      }),
    ).toEqual({ method: 'DELETE', url: '/api/v1/account/members/a%2Fb/application-credentials/c%20d' });
    expect(urlOf('GET /api/v1/account/audit-events', { query: { limit: 20, cursor: undefined } })).toEqual({
      method: 'GET',
      url: '/api/v1/account/audit-events?limit=20',
    });
  });

  it('gives each refusal its code, field problems and Retry-After, and reports an unreachable gateway', async () => {
    const ended: string[] = [];
    const api = createClient({
      baseUrl: 'http://127.0.0.1:1',
      token: () => 't',
      onSessionEnded: () => ended.push('ended'),
      fetch: (url) =>
        (url as string).endsWith('/me')
          ? Promise.resolve(answer(401, { error: { code: 'unauthenticated', message: 'Sign in.' } }))
          : Promise.resolve(
              new Response(JSON.stringify({ error: { code: 'too_many_attempts', message: 'Slow down.' } }), {
                status: 429,
                headers: { 'retry-after': '7' },
              }),
            ),
    });
    await expect(api.call('GET /api/v1/me')).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(ended).toEqual(['ended']);
    await expect(
      api.call('POST /api/v1/auth/login', { body: { login: 'a', password: 'b' } }),
    ).rejects.toEqual(new ApiError(429, 'too_many_attempts', 'Slow down.', 7));
    const offline = createClient({ fetch: () => Promise.reject(new TypeError('fetch failed')) });
    await expect(offline.call('GET /api/v1/me')).rejects.toMatchObject({ status: 0, code: 'network' });
  });
});
