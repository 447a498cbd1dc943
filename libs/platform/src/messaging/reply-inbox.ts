import { createInbox, Events, type MsgHdrs, type Msg, type NatsConnection } from 'nats';

/** `disconnected`: cut while the request was out; its server died, so the answer cannot come back. */
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
 * nats.js's `request` without the timer promise it races per request and the error object (stack
 * trace and all) it makes to cancel it: both cost CPU on every request.
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

  /** Fail now, not at timeout: answers would come back to a subscription the dead server no longer has. */
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

  /** While reconnecting, a published request would be buffered and lost, hanging until its timeout. */
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
