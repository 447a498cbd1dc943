import { randomUUID } from 'node:crypto';
import {
  DomainError,
  errorPayloadSchema,
  type RpcDefinition,
  type RpcRequest,
  type RpcResponse,
} from '@twofold/contracts';
import { REQUEST_META_HEADERS, type RequestMeta } from '../logging/request-context';
import { headers as natsHeaders, JSONCodec, type NatsConnection } from 'nats';
import { ReplyInbox, RequestFailed } from './reply-inbox';
import { SpanKind } from '@opentelemetry/api';
import { injectTraceContext, inSpan, rpcSpan, tracingOn } from '../tracing/tracing';

interface NestReply {
  id?: string;
  response?: unknown;
  err?: unknown;
  isDisposed?: boolean;
}

const requestCodec = JSONCodec<{ pattern: string; data: unknown; id: string }>();
const replyCodec = JSONCodec<NestReply>();

export interface RpcCallOptions {
  timeoutMs?: number;
  /** The request the call serves, passed on in headers (its address is audited); none for a job or a script. */
  meta?: RequestMeta | null;
}

/** Native request/reply (see ReplyInbox): a service with no instance fails at once, not at a timeout. */
export class RpcClient {
  private readonly inboxes = new WeakMap<NatsConnection, ReplyInbox>();

  constructor(
    private readonly connection: () => NatsConnection,
    private readonly subjectPrefix: string,
    private readonly defaultTimeoutMs: number,
    private readonly options: {
      observe?: (subject: string, outcome: string, seconds: number) => void;
      /** Parse every answer by its contract (development and tests; production trusts the services). */
      checkAnswers?: boolean;
    } = {},
  ) {}

  async call<D extends RpcDefinition>(
    definition: D,
    payload: RpcRequest<D>,
    options: RpcCallOptions = {},
  ): Promise<RpcResponse<D>> {
    const started = process.hrtime.bigint();
    let outcome = 'ok';
    try {
      const answer = tracingOn
        ? await inSpan(`${definition.subject} send`, rpcSpan(definition.subject, SpanKind.CLIENT), () =>
            this.request(definition.subject, payload, options),
          )
        : await this.request(definition.subject, payload, options);
      if (this.options.checkAnswers) checkAnswer(definition, answer);
      return answer as RpcResponse<D>;
    } catch (error) {
      outcome = error instanceof DomainError ? error.code : 'error';
      throw error;
    } finally {
      this.options.observe?.(definition.subject, outcome, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  private async request(subject: string, data: unknown, options: RpcCallOptions): Promise<unknown> {
    const hdrs = natsHeaders();
    const meta = options.meta;
    if (meta) {
      hdrs.set(REQUEST_META_HEADERS.requestId, meta.requestId);
      if (meta.ip) hdrs.set(REQUEST_META_HEADERS.ip, meta.ip);
      if (meta.userAgent) hdrs.set(REQUEST_META_HEADERS.userAgent, meta.userAgent);
      if (meta.acceptLanguage) hdrs.set(REQUEST_META_HEADERS.acceptLanguage, meta.acceptLanguage);
    }
    injectTraceContext(hdrs);
    let reply: NestReply;
    try {
      const msg = await this.inbox().request(
        `${this.subjectPrefix}${subject}`,
        requestCodec.encode({ pattern: subject, data, id: randomUUID() }),
        { timeoutMs: options.timeoutMs ?? this.defaultTimeoutMs, headers: hdrs },
      );
      reply = replyCodec.decode(msg.data);
    } catch (error) {
      throw toUnavailable(subject, error);
    }
    if (reply.err !== undefined && reply.err !== null) {
      const parsed = errorPayloadSchema.safeParse(reply.err);
      if (parsed.success) throw DomainError.fromPayload(parsed.data);
      throw new DomainError('internal', `The service answering ${subject} failed unexpectedly.`);
    }
    return reply.response;
  }

  private inbox(): ReplyInbox {
    const nc = this.connection();
    let inbox = this.inboxes.get(nc);
    if (!inbox) {
      inbox = new ReplyInbox(nc);
      this.inboxes.set(nc, inbox);
    }
    return inbox;
  }
}

/** A contract broken by its own service is a bug: a 500 with the paths that broke it, never a value. */
function checkAnswer(definition: RpcDefinition, answer: unknown): void {
  const parsed = definition.response.safeParse(answer);
  if (parsed.success) return;
  const paths = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(answer)'}: ${issue.code}`);
  throw new Error(`${definition.subject} answered outside its contract (${paths.join('; ')})`);
}

function toUnavailable(subject: string, error: unknown): DomainError {
  const service = subject.split('.')[0] ?? subject;
  if (error instanceof RequestFailed) {
    if (error.reason === 'no_responders') {
      return new DomainError('service_unavailable', `The ${service} service is not available.`);
    }
    if (error.reason === 'timeout') {
      return new DomainError('service_unavailable', `The ${service} service did not answer in time.`);
    }
  }
  return new DomainError('service_unavailable', `The ${service} service cannot be reached.`);
}
