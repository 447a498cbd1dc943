import { UAParser } from 'ua-parser-js';

/** Longest name kept: a user agent is the client's to choose. */
const MAX_LENGTH = 80;

/**
 * A name a member recognises a session by, from its user agent: "Firefox on Linux", "Safari on
 * iOS"; for a non-browser client its first product and version ("python-keystoneclient 5.4",
 * "curl 8.5.0"); "Unknown device" when it says nothing usable.
 */
export function deviceName(userAgent: string | undefined): string {
  const ua = (userAgent ?? '').replace(/[^\x20-\x7e]/g, '').trim();
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
