/** The challenge a WebAuthn answer signed, read from its client data; the ceremony checks the rest of it. */
export function signedChallenge(clientDataJSON: string): string | undefined {
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as {
      challenge?: unknown;
    };
    return typeof data.challenge === 'string' && data.challenge.length <= 128 ? data.challenge : undefined;
  } catch {
    return undefined;
  }
}
