import { type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  to: string[];
  subject: string;
  messageId: string;
  raw: string;
  /** The message with quoted-printable soft line breaks joined, for text assertions. */
  body: string;
}

export interface SmtpCatcher {
  url: string;
  mails: CaughtMail[];
  /** Make the next `count` deliveries fail with a temporary SMTP error. */
  failNext(count: number): void;
  /** Take the next deliveries in but never answer them (the sender waits), until `stopHolding`. */
  hold(): void;
  stopHolding(): void;
  /** Deliveries taken in and left unanswered while holding. */
  held(): number;
  close(): Promise<void>;
}

/** A real SMTP server on a loopback port that keeps what it receives, for tests. */
export async function startSmtpCatcher(): Promise<SmtpCatcher> {
  const mails: CaughtMail[] = [];
  let failures = 0;
  let holding = false;
  let held = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
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
        const header = (name: string): string =>
          new RegExp(`^${name}: (.*)$`, 'mi').exec(raw)?.[1]?.trim() ?? '';
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: header('Subject'),
          messageId: header('Message-ID'),
          raw,
          body: raw.replace(/=\r?\n/g, ''),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
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
