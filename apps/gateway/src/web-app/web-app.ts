import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';

/** The page talks only to this gateway and is never framed; `data:` images are the QR code. */
export const WEB_APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const WEB_APP_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': WEB_APP_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  // Small files, revalidated by ETag: a new release is picked up on the next load.
  'cache-control': 'no-cache',
};

/** Only files present at start-up get a route, so unknown paths stay the API's JSON 404s. */
export async function serveWebApp(
  app: NestFastifyApplication,
  dir: string,
  warn: (message: string) => void,
): Promise<boolean> {
  if (!existsSync(join(dir, 'index.html'))) {
    warn(
      `The web app is not built (no index.html in ${dir}): run \`npm run build\`; the API runs without it`,
    );
    return false;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    setHeaders: (reply) => {
      void reply.headers(WEB_APP_HEADERS);
    },
  });
  return true;
}
