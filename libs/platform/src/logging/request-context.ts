/** Who asked, carried from the HTTP edge through NATS headers into jobs and audit entries. */
export interface RequestMeta {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  /** The client's Accept-Language header, for a member's language when its request names none. */
  acceptLanguage?: string | null;
}

/** NATS headers that carry RequestMeta between processes. Never rename. */
export const REQUEST_META_HEADERS = {
  requestId: 'x-request-id',
  ip: 'x-client-ip',
  userAgent: 'x-client-user-agent',
  acceptLanguage: 'x-client-accept-language',
} as const;
