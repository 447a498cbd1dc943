import { createApi, type StepUpNeed } from './api';

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

describe('the web app’s API client and step-up', () => {
  it('asks for a step-up, then sends what the member clicked again, once', async () => {
    const calls: string[] = [];
    const answers = [stepUpRequired(), answer(201, { recoveryCodes: ['A'] })];
    const asked: StepUpNeed[] = [];
    const api = createApi({
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

    await expect(api.post('/me/two-factor/recovery-codes')).resolves.toEqual({ recoveryCodes: ['A'] });
    expect(asked).toEqual([{ maxAgeSeconds: 300, with: 'code' }]);
    expect(calls).toEqual([
      'POST /api/v1/me/two-factor/recovery-codes',
      'POST /api/v1/me/two-factor/recovery-codes',
    ]);
  });

  it('gives up with the refusal when the member cancels, and never asks twice for one click', async () => {
    let asked = 0;
    const make = (steppedUp: boolean, answers: Response[]) =>
      createApi({
        token: () => 't',
        onSessionEnded: () => undefined,
        onStepUp: () => {
          asked += 1;
          return Promise.resolve(steppedUp);
        },
        fetch: () => Promise.resolve(answers.shift()!),
      });

    await expect(make(false, [stepUpRequired()]).del('/me/two-factor')).rejects.toMatchObject({
      code: 'step_up_required',
    });
    await expect(
      make(true, [stepUpRequired(), stepUpRequired()]).del('/me/two-factor'),
    ).rejects.toMatchObject({ code: 'step_up_required' });
    expect(asked).toBe(2);
  });

  it('does not ask for a step-up about the step-up itself', async () => {
    let asked = 0;
    const api = createApi({
      token: () => 't',
      onSessionEnded: () => undefined,
      onStepUp: () => {
        asked += 1;
        return Promise.resolve(true);
      },
      fetch: () => Promise.resolve(stepUpRequired()),
    });

    await expect(api.post('/auth/step-up', { code: '123456' })).rejects.toMatchObject({
      code: 'step_up_required',
    });
    expect(asked).toBe(0);
  });
});
