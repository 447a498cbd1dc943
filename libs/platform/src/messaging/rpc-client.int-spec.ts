import { randomUUID } from 'node:crypto';
import { defineRpc, DomainError } from '@twofold/contracts';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import { z } from 'zod';
import { RpcClient } from './rpc-client';

// The platform does not depend on the testing library: its two helpers, here.
const TEST_NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const domainErrorOf = (call: Promise<unknown>): Promise<DomainError> =>
  call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => {
      if (error instanceof DomainError) return error;
      throw error;
    },
  );

const Echo = defineRpc('test.v1.echo', z.object({ n: z.number(), delayMs: z.number() }), z.number());
const packets = JSONCodec<{ id: string; data: { n: number; delayMs: number } }>();
const replies = JSONCodec<{ id: string; response: number; isDisposed: true }>();

/** The client against a plain NATS responder (Nest's packet format), on the real server. */
describe('RpcClient over NATS', () => {
  const prefix = `rpc-client-${randomUUID()}.`;
  let server: NatsConnection;
  let client: NatsConnection;
  let rpc: RpcClient;
  let answered = 0;

  beforeAll(async () => {
    server = await connect({ servers: TEST_NATS_URL.split(',') });
    server.subscribe(`${prefix}${Echo.subject}`, {
      callback: (_error, msg) => {
        const packet = packets.decode(msg.data);
        setTimeout(() => {
          answered += 1;
          msg.respond(replies.encode({ id: packet.id, response: packet.data.n * 2, isDisposed: true }));
        }, packet.data.delayMs);
      },
    });
    await server.flush();
    client = await connect({ servers: TEST_NATS_URL.split(',') });
    rpc = new RpcClient(() => client, prefix, 2000);
  });

  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it('gives each of many calls in flight its own answer, whatever order they come back in', async () => {
    const inputs = Array.from({ length: 300 }, (_, n) => n);

    const answers = await Promise.all(inputs.map((n) => rpc.call(Echo, { n, delayMs: (n * 7919) % 25 })));

    expect(answers).toEqual(inputs.map((n) => n * 2));
  });

  it('fails a call not answered in time with service_unavailable, and drops its late answer', async () => {
    const before = answered;
    const late = await domainErrorOf(rpc.call(Echo, { n: 1, delayMs: 400 }, { timeoutMs: 100 }));

    expect(late.code).toBe('service_unavailable');
    expect(late.message).toBe('The test service did not answer in time.');
    // The late answer arrives while the next call waits; the next call still gets its own.
    expect(await rpc.call(Echo, { n: 21, delayMs: 500 })).toBe(42);
    expect(answered - before).toBe(2);
  });

  it('fails at once when nothing serves the subject', async () => {
    const elsewhere = new RpcClient(() => client, `nobody-${randomUUID()}.`, 5000);
    const started = Date.now();

    const error = await domainErrorOf(elsewhere.call(Echo, { n: 1, delayMs: 0 }));

    expect(error.code).toBe('service_unavailable');
    expect(error.message).toBe('The test service is not available.');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('fails calls on a closed connection with service_unavailable', async () => {
    const own = await connect({ servers: TEST_NATS_URL.split(',') });
    const closing = new RpcClient(() => own, prefix, 2000);
    expect(await closing.call(Echo, { n: 2, delayMs: 0 })).toBe(4);
    const waiting = domainErrorOf(closing.call(Echo, { n: 3, delayMs: 300 }));
    await own.close();

    expect((await waiting).code).toBe('service_unavailable');
    expect((await domainErrorOf(closing.call(Echo, { n: 4, delayMs: 0 }))).code).toBe('service_unavailable');
  });
});
