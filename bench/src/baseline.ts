/**
 * The bare baseline of `npm run bench`: what this machine does with the second factor when
 * nothing else is in the way — node:http on both cores (a cluster of 2), each request a JSON
 * body { memberId, code } checked in memory against the member's secret (RFC 6238, ±1 step,
 * HMAC-SHA1) with the replay rule (a step at or below the last accepted one is refused).
 *
 * Usage: node bench/dist/baseline.js <port> <secrets.json>  (prints "ready" once listening)
 */
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { base32Decode, totpReference } from '@twofold/testing';

const [port, secretsFile] = process.argv.slice(2);

if (cluster.isPrimary) {
  let ready = 0;
  for (let i = 0; i < 2; i += 1) {
    cluster.fork().on('message', (message) => {
      if (message === 'ready' && ++ready === 2) process.stdout.write('ready\n');
    });
  }
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
    process.exit(0);
  });
} else {
  const secrets = new Map<string, Buffer>(
    (JSON.parse(readFileSync(secretsFile ?? '', 'utf8')) as { memberId: string; secret: string }[]).map(
      (m) => [m.memberId, base32Decode(m.secret)],
    ),
  );
  const lastStep = new Map<string, number>();
  createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { memberId, code } = JSON.parse(Buffer.concat(chunks).toString()) as {
        memberId: string;
        code: string;
      };
      const secret = secrets.get(memberId);
      const now = Math.floor(Date.now() / 30_000);
      let accepted = false;
      if (secret) {
        for (const step of [now - 1, now, now + 1]) {
          if (totpReference(secret, step * 30) === code && step > (lastStep.get(memberId) ?? -1)) {
            lastStep.set(memberId, step);
            accepted = true;
            break;
          }
        }
      }
      res.writeHead(accepted ? 200 : 401, { 'content-type': 'application/json' });
      res.end(accepted ? '{"valid":true}' : '{"valid":false}');
    });
  }).listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
}
