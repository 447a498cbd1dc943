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
