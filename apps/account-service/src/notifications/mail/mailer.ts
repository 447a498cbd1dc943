import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { ACCOUNT_CONFIG, type AccountConfig } from '../../config/account-config';
import { type SecurityMail } from './security-mail';
import { SpanKind } from '@opentelemetry/api';
import { inSpan } from '@twofold/platform';

/** The message id comes from the event id, so a mail system can tell a rare re-send from a new message. */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly transport: Transporter;

  constructor(
    @Inject(ACCOUNT_CONFIG)
    private readonly config: Pick<AccountConfig, 'SMTP_URL' | 'MAIL_FROM' | 'MAIL_DIR'>,
  ) {
    this.transport = config.SMTP_URL
      ? createTransport(config.SMTP_URL)
      : createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  send(to: string, mail: SecurityMail, messageId: string): Promise<void> {
    return inSpan('email send', { kind: SpanKind.CLIENT }, () => this.deliver(to, mail, messageId));
  }

  private async deliver(to: string, mail: SecurityMail, messageId: string): Promise<void> {
    const info = (await this.transport.sendMail({
      from: this.config.MAIL_FROM,
      to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: `<${messageId}>`,
    })) as { message?: Buffer };
    if (!this.config.SMTP_URL && info.message) {
      await mkdir(this.config.MAIL_DIR, { recursive: true });
      await writeFile(join(this.config.MAIL_DIR, `${messageId.split('@')[0]}.eml`), info.message);
    }
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
