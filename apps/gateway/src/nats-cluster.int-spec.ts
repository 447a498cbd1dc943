import { randomUUID } from 'node:crypto';
import { defineRpc, DomainError } from '@twofold/contracts';
import { natsConnectOptions, RpcClient } from '@twofold/platform';
import { eventually, NatsCluster } from '@twofold/testing';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import { z } from 'zod';

jest.setTimeout(30_000);

const Echo = defineRpc('test.v1.echo', z.object({ n: z.number(), delayMs: z.number() }), z.number());
const packets = JSONCodec<{ id: string; data: { n: number; delayMs: number } }>();
const replies = JSONCodec<{ id: string; response: number; isDisposed: true }>();

/**
 * The gateway's calls to the services through a 3-node NATS cluster: a node dying fails the
 * requests that were out through it at once (503, not a hang until the timeout), and the client
 * carries on through a surviving node.
 */
describe('calls through a NATS cluster', () => {
  const prefix = `nats-cluster-${randomUUID()}.`;
  let cluster: NatsCluster;
  let responder: NatsConnection;
  let client: NatsConnection;
  let rpc: RpcClient;

  beforeAll(async () => {
    cluster = await NatsCluster.start(3);
    // The service side on the third node, never killed here.
    responder = await connect({ servers: cluster.urlOf(2) });
    responder.subscribe(`${prefix}${Echo.subject}`, {
      queue: 'echo',
      callback: (_error, msg) => {
        const packet = packets.decode(msg.data);
        setTimeout(
          () => msg.respond(replies.encode({ id: packet.id, response: packet.data.n * 2, isDisposed: true })),
          packet.data.delayMs,
        );
      },
    });
    await responder.flush();
    client = await connect(
      natsConnectOptions({ url: `${cluster.urlOf(0)},${cluster.urlOf(1)}`, name: 'gateway-under-test' }),
    );
    rpc = new RpcClient(() => client, prefix, 5000);
  });

  afterAll(async () => {
    await client?.close();
    await responder?.close();
    await cluster?.close();
  });

  it('fails a request in flight at once when its node dies, then carries on through a survivor', async () => {
    expect(await rpc.call(Echo, { n: 1, delayMs: 0 })).toBe(2);
    const node = client.getServer().endsWith(cluster.urlOf(0).split(':').pop()!) ? 0 : 1;

    const started = Date.now();
    const inFlight = rpc.call(Echo, { n: 2, delayMs: 3000 }).then(
      () => 'answered',
      (error: unknown) => error,
    );
    await new Promise((r) => setTimeout(r, 200));
    await cluster.kill(node);
    const outcome = await inFlight;

    expect(outcome).toBeInstanceOf(DomainError);
    expect((outcome as DomainError).code).toBe('service_unavailable');
    expect(Date.now() - started).toBeLessThan(2000);
    // Calls made while it finds a surviving node are refused at once too, and then go through.
    const failover = Date.now();
    const answer = await eventually(
      () => rpc.call(Echo, { n: 3, delayMs: 0 }).catch(() => undefined),
      5_000,
      'a call through the surviving node',
    );
    expect(answer).toBe(6);
    expect(Date.now() - failover).toBeLessThan(3000);
    expect(client.getServer()).not.toContain(String(cluster.urlOf(node).split(':').pop()));
  });
});
