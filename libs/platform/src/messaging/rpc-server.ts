import { randomUUID } from 'node:crypto';
import { type BeforeApplicationShutdown, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { DomainError, type ErrorPayload, parseInput, type RpcDefinition } from '@twofold/contracts';
import { connect, JSONCodec, type Msg, type NatsConnection, type Subscription } from 'nats';
import { type NatsAccess, natsConnectOptions } from './nats-connection';
import { PinoLogger } from 'nestjs-pino';
import { REQUEST_META_HEADERS, type RequestMeta } from '../logging/request-context';
import { unexpectedError } from '../errors/unexpected-error';
import { MetricsService } from '../metrics/metrics';
import { SpanKind } from '@opentelemetry/api';
import { extractTraceContext, inSpan, rpcSpan, tracingOn } from '../tracing/tracing';
import { isRpcBinding, type RpcBinding, type RpcGroup, type RpcHandlerOf } from './rpc-handler';

interface Packet {
  id?: string;
  data?: unknown;
}

const packets = JSONCodec<Packet>();
const replies = JSONCodec<{ id?: string; response?: unknown; err?: ErrorPayload; isDisposed: true }>();

/** Network errors, and PostgreSQL's "cannot connect now", "admin shutdown" and connection classes. */
const OUTAGE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03']);

export function isOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (OUTAGE_CODES.has(code) || code.startsWith('08'))) return true;
  return /^Connection terminated|^connect ECONNREFUSED|^Connection is closed/.test(error.message);
}

const DRAIN_MS = 5000;

/**
 * Answers contract calls in the packet format of Nest's NATS transport, without Nest's microservice
 * pipeline (too slow on this path). Any error but a DomainError answers `internal`, never its message.
 * Inert until `listen`, so scripts that build a service's module never join its queue group.
 */
@Injectable()
export class RpcServer implements BeforeApplicationShutdown, OnApplicationShutdown {
  private nc: NatsConnection | undefined;
  private readonly subscriptions: Subscription[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly metrics: MetricsService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(RpcServer.name);
  }

  /**
   * `serves`: the contract groups this service answers, each call bound exactly once, else it does not start.
   */
  async listen(options: {
    access: NatsAccess;
    subjectPrefix: string;
    queue: string;
    serves: readonly RpcGroup[];
  }): Promise<void> {
    const handlers = this.handlers(options.serves);
    const nc = await connect(natsConnectOptions({ ...options.access, name: options.queue }));
    this.nc = nc;
    for (const { definition, handle } of handlers) {
      const subscription = nc.subscribe(`${options.subjectPrefix}${definition.subject}`, {
        queue: options.queue,
        callback: (error, msg) => {
          if (error) return;
          const meta = requestMetaOf(msg);
          const done = this.answer(definition, handle, msg, meta).finally(() => this.inFlight.delete(done));
          this.inFlight.add(done);
        },
      });
      this.subscriptions.push(subscription);
    }
    await nc.flush();
  }

  /** Before Redis, Postgres and NATS close: leave the queue group (new requests go elsewhere), then drain. */
  async beforeApplicationShutdown(): Promise<void> {
    const nc = this.nc;
    if (!nc || nc.isClosed()) return;
    await Promise.allSettled(this.subscriptions.map((s) => s.drain()));
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, DRAIN_MS))]);
  }

  async onApplicationShutdown(): Promise<void> {
    const nc = this.nc;
    if (!nc || nc.isClosed()) return;
    await nc.drain();
  }

  private handlers(serves: readonly RpcGroup[]): RpcBinding['handlers'] {
    const bound = this.discovery.getControllers().flatMap((wrapper) => {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance) return [];
      return Object.values(instance)
        .filter(isRpcBinding)
        .flatMap((binding) =>
          binding.handlers.map(({ definition, handle }) => ({ definition, handle: handle.bind(instance) })),
        );
    });
    const expected = serves.flatMap((group) => Object.values(group).map((d) => d.subject));
    const subjects = bound.map(({ definition }) => definition.subject);
    const problems = [
      ...expected.filter((s) => !subjects.includes(s)).map((s) => `${s} has no handler`),
      ...subjects.filter((s, i) => subjects.indexOf(s) !== i).map((s) => `${s} has two handlers`),
      ...subjects
        .filter((s) => !expected.includes(s))
        .map((s) => `${s} belongs to no group this service serves`),
    ];
    if (problems.length > 0) throw new Error(`RPC handlers: ${problems.join('; ')}`);
    return bound;
  }

  private async answer(
    definition: RpcDefinition,
    handle: RpcHandlerOf<RpcDefinition>,
    msg: Msg,
    meta: RequestMeta,
  ): Promise<void> {
    let packet: Packet = {};
    try {
      packet = packets.decode(msg.data);
    } catch {
      // An unreadable packet is answered like an invalid payload.
    }
    let outcome = 'ok';
    try {
      const input = parseInput(definition.request, packet.data);
      const response = tracingOn
        ? await inSpan(
            `${definition.subject} process`,
            rpcSpan(definition.subject, SpanKind.SERVER),
            () => Promise.resolve(handle(input, meta)),
            extractTraceContext(msg.headers),
          )
        : await handle(input, meta);
      msg.respond(replies.encode({ id: packet.id, response, isDisposed: true }));
    } catch (error) {
      const payload = this.errorPayload(error, meta);
      outcome = payload.code;
      msg.respond(replies.encode({ id: packet.id, err: payload, isDisposed: true }));
    } finally {
      this.metrics.rpcHandled.inc({ subject: definition.subject, outcome });
    }
  }

  private errorPayload(error: unknown, meta: RequestMeta): ErrorPayload {
    if (error instanceof DomainError) {
      if (error.code === 'service_unavailable')
        this.logger.warn({ code: error.code, reqId: meta.requestId }, error.message);
      return error.toPayload();
    }
    if (isOutage(error)) {
      this.logger.warn({ err: error, reqId: meta.requestId }, 'A dependency is unavailable');
      return new DomainError(
        'service_unavailable',
        'This cannot be done right now; try again shortly.',
      ).toPayload();
    }
    return unexpectedError(this.logger, error, meta.requestId).toPayload();
  }
}

/** Read lazily (most answers never ask); passed to handlers, as AsyncLocalStorage makes every promise pay a hook. */
class HeaderMeta implements RequestMeta {
  private read: RequestMeta | undefined;

  constructor(private readonly msg: Msg) {}

  get requestId(): string {
    return this.values().requestId;
  }

  get ip(): string | null {
    return this.values().ip;
  }

  get userAgent(): string | null {
    return this.values().userAgent;
  }

  get acceptLanguage(): string | null {
    return this.values().acceptLanguage ?? null;
  }

  private values(): RequestMeta {
    if (!this.read) {
      const headers = this.msg.headers;
      this.read = {
        requestId: headers?.get(REQUEST_META_HEADERS.requestId) || randomUUID(),
        ip: headers?.get(REQUEST_META_HEADERS.ip) || null,
        userAgent: headers?.get(REQUEST_META_HEADERS.userAgent) || null,
        acceptLanguage: headers?.get(REQUEST_META_HEADERS.acceptLanguage) || null,
      };
    }
    return this.read;
  }
}

const requestMetaOf = (msg: Msg): RequestMeta => new HeaderMeta(msg);
