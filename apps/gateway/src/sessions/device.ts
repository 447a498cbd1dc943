import { hash, randomBytes } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { type FastifyReply, type FastifyRequest } from 'fastify';

/** Grants nothing: it only lets the gateway recognise a browser a member signed in from before. */
export const DEVICE_COOKIE = 'twofold_device';
const COOKIE_PATH = '/api/v1/auth';
/** Browsers keep a cookie at most 400 days. */
const COOKIE_MAX_AGE_SECONDS = 400 * 24 * 3600;
const DEVICE_ID = /^[A-Za-z0-9_-]{22}$/;

export function deviceCookieOf(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === DEVICE_COOKIE && value && DEVICE_ID.test(value)) return value;
  }
  return undefined;
}

/** A client moving within its office's or provider's network stays the same device. */
export function addressPrefix(ip: string | null): string {
  if (!ip) return '';
  const v4 = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  if (isIPv4(v4)) return `${v4.split('.').slice(0, 3).join('.')}.0/24`;
  if (!isIPv6(ip)) return '';
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 3)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/48`;
}

/** API and OpenStack clients keep no cookie: they are known by user agent and network. Only a hash is kept. */
export function deviceKeyOf(input: {
  cookie?: string | undefined;
  userAgent: string | null;
  ip: string | null;
}): string {
  const seen = input.cookie
    ? `cookie:${input.cookie}`
    : `client:${input.userAgent ?? ''}\n${addressPrefix(input.ip)}`;
  return hash('sha256', seen, 'base64url').slice(0, 22);
}

/** Only a request a browser made (Sec-Fetch-Site) gets a new id; API clients get none. */
export function webDeviceOf(req: FastifyRequest, reply: FastifyReply): string | undefined {
  const known = deviceCookieOf(req.headers.cookie);
  if (known || !req.headers['sec-fetch-site']) return known;
  const id = randomBytes(16).toString('base64url');
  const secure = req.protocol === 'https' ? '; Secure' : '';
  void reply.header(
    'set-cookie',
    `${DEVICE_COOKIE}=${id}; Path=${COOKIE_PATH}; Max-Age=${COOKIE_MAX_AGE_SECONDS}; HttpOnly; SameSite=Strict${secure}`,
  );
  return id;
}
