import { UAParser } from 'ua-parser-js';

/** Longest name kept: a user agent is the client's to choose. */
const MAX_LENGTH = 80;

const named = new Map<string, string>();
const NAMED_MAX = 1_000;
/** Longer user agents are named but not remembered (their client chose the length). */
const REMEMBERED_LENGTH = 512;

/** E.g. "Firefox on Linux", or a non-browser client's first product and version ("curl 8.5.0"). */
export function deviceName(userAgent: string | undefined): string {
  const key = userAgent ?? '';
  const known = named.get(key);
  if (known !== undefined) return known;
  const name = nameOf(key);
  // Cached: every sign-in names its user agent, and user agents repeat.
  if (key.length > REMEMBERED_LENGTH) return name;
  if (named.size >= NAMED_MAX) named.clear();
  named.set(key, name);
  return name;
}

function nameOf(userAgent: string): string {
  const ua = userAgent.replace(/[^\x20-\x7e]/g, '').trim();
  if (!ua) return 'Unknown device';
  const parsed = new UAParser(ua).getResult();
  const browser = parsed.browser.name;
  const os = parsed.os.name === 'Mac OS' ? 'macOS' : parsed.os.name;
  if (browser && os) return clip(`${browser} on ${os}`);
  if (browser) return clip(browser);
  const product = /^([A-Za-z][\w.+-]*)(?:\/([\w.+-]+))?/.exec(ua);
  if (!product) return 'Unknown device';
  return clip(product[2] ? `${product[1]} ${product[2]}` : product[1]);
}

const clip = (name: string): string =>
  name.length > MAX_LENGTH ? `${name.slice(0, MAX_LENGTH - 1)}…` : name;
