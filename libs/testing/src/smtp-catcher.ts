import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  to: string[];
  subject: string;
  messageId: string;
  raw: string;
  /** The message with quoted-printable soft line breaks joined, for text assertions. */
  body: string;
  /** The message with its quoted-printable parts decoded (links as the reader sees them). */
  text: string;
}

function decodeQuotedPrintable(raw: string): string {
  const bytes = raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?[^?]+\?([QqBb])\?([^?]*)\?=/g, (_match, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

export function linkIn(mail: CaughtMail, route: string): { url: string; token: string } | undefined {
  const found = new RegExp(`(https?://[^\\s"<>]+/#/${route}\\?token=([A-Za-z0-9_-]+))`).exec(mail.text);
  return found ? { url: found[1], token: found[2] } : undefined;
}

export function parseMail(raw: string, to?: string[]): CaughtMail {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const header = (name: string): string =>
    decodeWords(new RegExp(`^${name}: (.*)$`, 'mi').exec(head)?.[1]?.trim() ?? '');
  return {
    to:
      to ??
      header('To')
        .split(',')
        .map((address) => address.replace(/^.*</, '').replace(/>.*$/, '').trim()),
    subject: header('Subject'),
    messageId: header('Message-ID'),
    raw,
    body: raw.replace(/=\r?\n/g, ''),
    text: decodeQuotedPrintable(raw),
  };
}

export function readMailDir(dir: string): CaughtMail[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.eml'))
    .map((name) => ({ name, at: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => a.at - b.at || a.name.localeCompare(b.name))
    .map(({ name }) => parseMail(readFileSync(join(dir, name), 'utf8')));
}

export interface SmtpCatcher {
  url: string;
  mails: CaughtMail[];
  failNext(count: number): void;
  /** Take the next deliveries in but never answer them (the sender waits), until `stopHolding`. */
  hold(): void;
  stopHolding(): void;
  held(): number;
  close(): Promise<void>;
}

/** `port` 0 takes a free one; a given port brings a closed catcher back (an SMTP outage that ends). */
export async function startSmtpCatcher(port = 0): Promise<SmtpCatcher> {
  const mails: CaughtMail[] = [];
  let failures = 0;
  let holding = false;
  let held = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Closing ends the senders' open connections after a second rather than waiting for them.
    closeTimeout: 1000,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (holding) {
          // Never answered: to the sender the message is not delivered.
          held += 1;
          return;
        }
        if (failures > 0) {
          failures -= 1;
          const error = new Error('Try again later') as Error & { responseCode: number };
          error.responseCode = 451;
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        mails.push(
          parseMail(
            raw,
            session.envelope.rcptTo.map((r) => r.address),
          ),
        );
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const listening = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${listening}`,
    mails,
    failNext: (count) => {
      failures = count;
    },
    hold: () => {
      holding = true;
    },
    stopHolding: () => {
      holding = false;
    },
    held: () => held,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
