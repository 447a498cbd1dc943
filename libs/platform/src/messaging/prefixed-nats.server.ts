import { type NatsOptions, ServerNats } from '@nestjs/microservices';
import { type Msg, type NatsConnection, type NatsError, type Subscription } from 'nats';

type ServerNatsOptions = NonNullable<NatsOptions['options']> & { queue: string };

/**
 * Nest's NATS server, subscribing every handler under a subject prefix in one queue group.
 * The prefix lets several stacks (or test runs) share one NATS server without answering each
 * other's requests; handlers still declare the plain contract subject.
 */
export class PrefixedNatsServer extends ServerNats {
  constructor(
    private readonly subjectPrefix: string,
    private readonly serverOptions: ServerNatsOptions,
  ) {
    super(serverOptions);
  }

  override bindEvents(client: NatsConnection): void {
    // Nest keeps its subscriptions private; close() unsubscribes them for a graceful drain.
    const subscriptions = (this as unknown as { subscriptions: Subscription[] }).subscriptions;
    for (const pattern of this.messageHandlers.keys()) {
      const handle = this.getMessageHandler(pattern).bind(this) as (err: NatsError | null, msg: Msg) => void;
      subscriptions.push(
        client.subscribe(`${this.subjectPrefix}${pattern}`, {
          queue: this.serverOptions.queue,
          callback: handle,
        }),
      );
    }
  }
}
