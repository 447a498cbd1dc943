import { isIP } from 'node:net';

/** Who the passkeys are for (the relying party) and the pages allowed to use them. */
export type WebAuthnSettings =
  { enabled: true; rpId: string; rpName: string; origins: string[] } | { enabled: false; reason: string };

/**
 * From PUBLIC_URL unless WEBAUTHN_RP_ID / WEBAUTHN_ORIGINS say otherwise. Browsers refuse an IP
 * address as the relying party: such a deployment runs without passkeys. Problems are returned
 * as configuration errors (each names its variable, never a value).
 */
export function webauthnSettings(env: {
  PUBLIC_URL: string;
  WEBAUTHN_RP_ID?: string | undefined;
  WEBAUTHN_ORIGINS?: readonly string[] | undefined;
  rpName: string;
}): WebAuthnSettings | { problems: string[] } {
  const publicUrl = new URL(env.PUBLIC_URL);
  const rpId = (env.WEBAUTHN_RP_ID ?? publicUrl.hostname).toLowerCase();
  if (isIP(rpId.replace(/^\[|\]$/g, '')) !== 0) {
    return {
      enabled: false,
      reason:
        'passkeys are off: the relying party is an IP address, which browsers refuse (set PUBLIC_URL or WEBAUTHN_RP_ID to a host name)',
    };
  }
  const origins = env.WEBAUTHN_ORIGINS ?? [publicUrl.origin];
  const problems = origins.flatMap((origin) => {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return ['WEBAUTHN_ORIGINS: each must be an origin such as https://example.com'];
    }
    if (url.origin !== origin || !['http:', 'https:'].includes(url.protocol)) {
      return ['WEBAUTHN_ORIGINS: each must be an origin such as https://example.com (no path)'];
    }
    const host = url.hostname.toLowerCase();
    return host === rpId || host.endsWith(`.${rpId}`)
      ? []
      : ['WEBAUTHN_ORIGINS: each must be on the relying party (WEBAUTHN_RP_ID) or one of its subdomains'];
  });
  if (problems.length > 0) return { problems: [...new Set(problems)] };
  return { enabled: true, rpId, rpName: env.rpName, origins: [...origins] };
}
