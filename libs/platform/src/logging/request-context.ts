import { AsyncLocalStorage } from 'node:async_hooks';

/** Who asked, carried from the HTTP edge through NATS headers into jobs and audit entries. */
export interface RequestMeta {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
}

/** NATS headers that carry RequestMeta between processes. Never rename. */
export const REQUEST_META_HEADERS = {
  requestId: 'x-request-id',
  ip: 'x-client-ip',
  userAgent: 'x-client-user-agent',
} as const;

const requestMeta = new AsyncLocalStorage<RequestMeta>();

export function currentRequestMeta(): RequestMeta | undefined {
  return requestMeta.getStore();
}

/** Runs `fn` as part of a request: its meta is available and every log line carries `reqId`. */
export function runInRequest<T>(meta: RequestMeta, fn: () => T): T {
  return requestMeta.run(meta, fn);
}

/** The same, at the HTTP edge. */
export const runWithRequestMeta = runInRequest;
