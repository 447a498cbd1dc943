import { createInbox, Events, type MsgHdrs, type Msg, type NatsConnection } from 'nats';

/**
 * Why a request got no answer: nobody serves the subject, nobody answered in time, the connection
 * ended, or it was cut while the request was out (its server died: the answer cannot come back).
 */
export class RequestFailed extends Error {
  constructor(readonly reason: 'no_responders' | 'timeout' | 'closed' | 'disconnected') {
    super(`NATS request failed: ${reason}`);
  }
}

interface Waiting {
  resolve: (msg: Msg) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * NATS request/reply over one wildcard inbox subscription per connection, each request a token
 * under it (what nats.js's own `request` does), without what the library adds to every request:
 * a timer promise raced against the answer, and an error object made (stack trace and all) to
 * cancel it once the answer has come. With 64 requests in flight this took the CPU time per
 * request, caller and responder together, from 140–260 µs to 50–100 µs on the bench machine.
 *
 * "No responders" is the server's empty 503 status message on the reply subject, as for the
 * library. Replies that come after their request timed out are dropped.
 */
export class ReplyInbox {
  private readonly prefix = `${createInbox()}.`;
  private readonly waiting = new Map<string, Waiting>();
  private next = 0;

  constructor(private readonly nc: NatsConnection) {
    const subscription = nc.subscribe(`${this.prefix}*`, {
      callback: (error, msg) => this.deliver(error, msg),
    });
    void subscription.closed.then(() => this.failAll(new RequestFailed('closed')));
    void this.failOnDisconnect();
  }

  /**
   * The requests out when the connection drops (its NATS server died, in a cluster) fail at once
   * rather than when they time out: their answers would come back to a subscription the server
   * no longer has. The client then reconnects to a surviving server for the next ones.
   */
  private async failOnDisconnect(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (status.type === Events.Disconnect) {
        this.disconnected = true;
        this.failAll(new RequestFailed('disconnected'));
      } else if (status.type === Events.Reconnect) {
        this.disconnected = false;
      }
    }
  }

  /**
   * Between losing its server and reaching another (half a second or so), a request is refused
   * at once: published then, it would be buffered and lost with its answer, and hang until it
   * timed out.
   */
  private disconnected = false;

  request(
    subject: string,
    data: Uint8Array,
    options: { timeoutMs: number; headers?: MsgHdrs },
  ): Promise<Msg> {
    if (this.disconnected) return Promise.reject(new RequestFailed('disconnected'));
    const token = (this.next++).toString(36);
    return new Promise<Msg>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(token);
        reject(new RequestFailed('timeout'));
      }, options.timeoutMs);
      this.waiting.set(token, { resolve, reject, timer });
      try {
        this.nc.publish(subject, data, {
          reply: `${this.prefix}${token}`,
          ...(options.headers ? { headers: options.headers } : {}),
        });
      } catch (error) {
        clearTimeout(timer);
        this.waiting.delete(token);
        reject(error instanceof Error ? error : new RequestFailed('closed'));
      }
    });
  }

  private deliver(error: Error | null, msg: Msg): void {
    if (error) {
      this.failAll(error);
      return;
    }
    const token = msg.subject.slice(this.prefix.length);
    const waiting = this.waiting.get(token);
    if (!waiting) return;
    this.waiting.delete(token);
    clearTimeout(waiting.timer);
    if (msg.data.length === 0 && msg.headers?.code === 503)
      waiting.reject(new RequestFailed('no_responders'));
    else waiting.resolve(msg);
  }

  private failAll(error: Error): void {
    for (const [token, waiting] of this.waiting) {
      this.waiting.delete(token);
      clearTimeout(waiting.timer);
      waiting.reject(error);
    }
  }
}
