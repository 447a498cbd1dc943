import {
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  type SpanKind,
  type SpanOptions,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapSetter,
  trace,
} from '@opentelemetry/api';
import { type NodeSDK } from '@opentelemetry/sdk-node';
import { type MsgHdrs } from 'nats';

let sdk: NodeSDK | undefined;

/** False unless the standard OTEL_* variables ask for traces: then nothing is wrapped and no span made. */
export let tracingOn = false;

export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  if (env.OTEL_TRACES_EXPORTER) return env.OTEL_TRACES_EXPORTER !== 'none';
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * Called by each service's first import, before what it instruments is loaded. Spans hold
 * routes, subjects, Redis command names and SQL text, never values: no key, argument or header.
 */
export function startTracing(serviceName: string): void {
  if (!tracingConfigured()) return;
  const env = process.env;
  env.OTEL_SERVICE_NAME ||= serviceName;
  env.OTEL_TRACES_EXPORTER ||= 'otlp';
  env.OTEL_METRICS_EXPORTER ||= 'none';
  env.OTEL_LOGS_EXPORTER ||= 'none';
  // W3C trace context only: a client's baggage is not carried into the services.
  env.OTEL_PROPAGATORS ||= 'tracecontext';
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on */
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { HttpInstrumentation } =
    require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { IORedisInstrumentation } =
    require('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis');
  const { PgInstrumentation } =
    require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const probes = new Set(['/healthz', '/readyz', '/metrics']);
  sdk = new NodeSDK({
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => probes.has((request.url ?? '').split('?')[0]),
        ignoreOutgoingRequestHook: () => true,
      }),
      new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command) => command }),
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
    ],
  });
  sdk.start();
  tracingOn = true;
}

export async function stopTracing(): Promise<void> {
  await sdk?.shutdown().catch(() => undefined);
}

const tracer = () => trace.getTracer('twofold');

/** `work` inside a span of its own when tracing is on; an error marks the span by its type, never its message. */
export async function inSpan<T>(
  name: string,
  options: SpanOptions,
  work: (span: Span | undefined) => Promise<T>,
  parent = context.active(),
): Promise<T> {
  if (!tracingOn) return work(undefined);
  return tracer().startActiveSpan(name, options, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.constructor.name : 'error',
      });
      throw error;
    } finally {
      span.end();
    }
  });
}

export const rpcSpan = (subject: string, kind: SpanKind): SpanOptions => ({
  kind,
  attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject },
});

const natsSetter: TextMapSetter<MsgHdrs> = { set: (headers, key, value) => headers.set(key, value) };
const natsGetter: TextMapGetter<MsgHdrs | undefined> = {
  get: (headers, key) => headers?.get(key) || undefined,
  keys: (headers) => (headers ? headers.keys() : []),
};

export function injectTraceContext(headers: MsgHdrs): void {
  if (tracingOn) propagation.inject(context.active(), headers, natsSetter);
}

export function extractTraceContext(headers: MsgHdrs | undefined) {
  return propagation.extract(ROOT_CONTEXT, headers, natsGetter);
}
