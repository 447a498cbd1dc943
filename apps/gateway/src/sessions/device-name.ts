import { UAParser } from 'ua-parser-js';

/** Longest name kept: a user agent is the client's to choose. */
const MAX_LENGTH = 80;

/** The names of the user agents seen lately (at most NAMED_MAX, forgotten all at once). */
const named = new Map<string, string>();
const NAMED_MAX = 1_000;
/** Longer user agents are named but not remembered (their client chose the length). */
const REMEMBERED_LENGTH = 512;

/**
 * A name a member recognises a session by, from its user agent: "Firefox on Linux", "Safari on
 * iOS"; for a non-browser client its first product and version ("python-keystoneclient 5.4",
 * "curl 8.5.0"); "Unknown device" when it says nothing usable.
 */
export function deviceName(userAgent: string | undefined): string {
  const key = userAgent ?? '';
  const known = named.get(key);
  if (known !== undefined) return known;
  const name = nameOf(key);
  // Parsing costs ~15 µs a browser, on every sign-in; user agents repeat.
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
