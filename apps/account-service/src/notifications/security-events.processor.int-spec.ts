import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { getQueueToken } from '@nestjs/bullmq';
import { SECURITY_EVENT_JOB, SECURITY_EVENTS_QUEUE } from '@twofold/contracts';
import { MetricsService, SecurityEventPublisher } from '@twofold/platform';
import { type Queue } from 'bullmq';
import {
  createIntegrationEnv,
  eventually,
  type IntegrationEnv,
  linkIn,
  type SmtpCatcher,
  startSmtpCatcher,
} from '@twofold/testing';
import { type DataSource } from 'typeorm';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AccountsService } from '../accounts/accounts.service';
import { AppModule } from '../app.module';
import { loadAccountConfig } from '../config/account-config';
import { InvitationsService } from '../invitations/invitations.service';
import { LanguageService } from '../language/language.service';
import { MembersService } from '../members/members.service';
import { SecurityEventsProcessor } from './security-events.processor';

jest.setTimeout(60_000);

describe(SecurityEventsProcessor.name, () => {
  let infra: IntegrationEnv;
  let smtp: SmtpCatcher;
  let app: INestApplicationContext;
  let n = 0;

  beforeAll(async () => {
    infra = await createIntegrationEnv('notifications');
    smtp = await startSmtpCatcher();
    const module = await Test.createTestingModule({
      imports: [AppModule.forRoot(loadAccountConfig({ ...infra.env, SMTP_URL: smtp.url }))],
    }).compile();
    app = await module.init();
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    await infra?.cleanup();
  });

  const owner = async (language?: 'en' | 'de') => {
    n += 1;
    return app.get(AccountsService).signUp(
      {
        accountName: `Mail ${n}`,
        login: `mail-${n}`,
        email: `mail-${n}@example.com`,
        password: 'correct horse battery staple',
        ...(language ? { language } : {}),
      },
      null,
    );
  };
  const auditCount = async (eventId: string): Promise<number> =>
    Number(
      (
        await app
          .get<DataSource>(getDataSourceToken())
          .query<{ count: string }[]>('SELECT count(*) FROM account.audit_events WHERE id = $1', [eventId])
      )[0].count,
    );
  const mailsOf = (eventId: string) =>
    smtp.mails.filter((m) => m.messageId === `<${eventId}@twofold.security-events>`);

  it('turns an event into one audit entry and one e-mail to the member it concerns', async () => {
    const { account, user } = await owner();

    const event = await app.get(SecurityEventPublisher).publish(
      {
        type: 'recovery_code.used',
        accountId: account.id,
        actorId: user.id,
        subjectId: user.id,
        details: { remaining: 3 },
      },
      null,
    );

    const [mail] = await eventually(() =>
      mailsOf(event.eventId).length > 0 ? mailsOf(event.eventId) : undefined,
    );
    expect(mail.to).toEqual([user.email]);
    expect(mail.subject).toBe('[Twofold] A recovery code was used to sign in');
    expect(mail.body).toContain('You have 3 recovery codes left.');
    expect(await auditCount(event.eventId)).toBe(1);
  });

  it('writes to a member in its language: German, then English once it changes it', async () => {
    const { account, user } = await owner('de');
    const enabled = () =>
      app.get(SecurityEventPublisher).publish(
        {
          type: 'two_factor.enabled',
          accountId: account.id,
          actorId: user.id,
          subjectId: user.id,
          details: {},
        },
        null,
      );
    const mailOf = (eventId: string) => eventually(() => mailsOf(eventId)[0]);

    const german = await mailOf((await enabled()).eventId);
    await app.get(LanguageService).set(user.id, 'en');
    const english = await mailOf((await enabled()).eventId);

    expect(german.subject).toBe('[Twofold] Die Zwei-Faktor-Authentifizierung ist aktiviert');
    expect(german.text).toContain(`Guten Tag ${user.login},`);
    expect(german.text).toContain(
      'Die Zwei-Faktor-Authentifizierung (2FA) wurde für Ihren Zugang aktiviert.',
    );
    expect(german.text).toMatch(/Zeitpunkt: \d{1,2}\. \p{L}+ \d{4} um \d\d:\d\d:\d\d UTC/u);
    expect(english.subject).toBe('[Twofold] Two-factor authentication is on');
    expect(english.text).toContain(`Hello ${user.login},`);
  });

  it('invites in the inviting admin’s language; the member joins in the one it names', async () => {
    const { account, user } = await owner('de');
    const accounts = app.get(AccountsRepository);
    const invited = await app.get(MembersService).add(
      {
        actor: { memberId: user.id, accountId: account.id },
        member: { login: `invited-${n}`, email: `invited-${n}@example.com`, roles: ['billing'] },
      },
      null,
    );
    const invitation = await eventually(() =>
      smtp.mails.find((m) => m.to.includes(invited.email) && m.subject.startsWith('[Twofold] Einladung zu')),
    );

    expect(await accounts.languageOf(invited.id)).toBe('de');
    expect(invitation.text).toContain(`Ein Inhaber oder Admin von ${account.name} hat Sie`);

    await app.get(InvitationsService).accept(
      {
        token: linkIn(invitation, 'invitation')!.token,
        password: 'correct horse battery staple',
        language: 'en',
      },
      null,
    );
    expect(await accounts.languageOf(invited.id)).toBe('en');
  });

  it('sends one e-mail when the SMTP server refuses the first attempts (retried with back-off)', async () => {
    const { account, user } = await owner();
    smtp.failNext(2);

    const event = await app.get(SecurityEventPublisher).publish(
      {
        type: 'two_factor.enabled',
        accountId: account.id,
        actorId: user.id,
        subjectId: user.id,
        details: {},
      },
      null,
    );

    await eventually(() => (mailsOf(event.eventId).length > 0 ? true : undefined), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mailsOf(event.eventId)).toHaveLength(1);
    expect(await auditCount(event.eventId)).toBe(1);
  });

  it('adds nothing for a duplicated event', async () => {
    const { account, user } = await owner();
    const publisher = app.get(SecurityEventPublisher);
    const event = await publisher.publish(
      {
        type: 'two_factor.locked',
        accountId: account.id,
        actorId: null,
        subjectId: user.id,
        details: { failures: 5 },
      },
      null,
    );
    await eventually(() => (mailsOf(event.eventId).length > 0 ? true : undefined));

    // The same event again, as a new job (the first one has completed).
    await app.get(SecurityEventsProcessor).process({ data: event } as never);

    expect(mailsOf(event.eventId)).toHaveLength(1);
    expect(await auditCount(event.eventId)).toBe(1);
  });

  it('writes .eml files when no SMTP server is configured', async () => {
    const mailDir = mkdtempSync(join(tmpdir(), 'twofold-mail-'));
    // A deployment of its own: sharing this suite's outbox and queue, the other worker (with
    // SMTP) could take the event.
    const own = await createIntegrationEnv('eml');
    const local = await Test.createTestingModule({
      imports: [AppModule.forRoot(loadAccountConfig({ ...own.env, MAIL_DIR: mailDir }))],
    }).compile();
    const localApp = await local.init();
    try {
      const { account, user } = await localApp.get(AccountsService).signUp(
        {
          accountName: 'Eml',
          login: 'eml-owner',
          email: 'eml@example.com',
          password: 'correct horse battery staple',
        },
        null,
      );
      const event = await localApp.get(SecurityEventPublisher).publish(
        {
          type: 'password.changed',
          accountId: account.id,
          actorId: user.id,
          subjectId: user.id,
          details: {},
        },
        null,
      );
      const file = join(mailDir, `${event.eventId}.eml`);

      await eventually(() => (existsSync(file) ? true : undefined));

      const eml = readFileSync(file, 'utf8');
      expect(eml).toMatch(/^To: eml@example\.com$/m);
      expect(eml).toContain('Subject: [Twofold] Your password was changed');
    } finally {
      await localApp.close();
      await own.cleanup();
    }
  });

  it('keeps a job that exhausted its retries in the failed set, counted on /metrics', async () => {
    const queue = app.get<Queue>(getQueueToken(SECURITY_EVENTS_QUEUE));
    const metrics = app.get(MetricsService);
    const failedBefore = await queue.getJobCountByTypes('failed');

    // Not a security event at all: it can never succeed.
    const job = await queue.add(SECURITY_EVENT_JOB, { nonsense: true }, { attempts: 1, removeOnFail: false });

    await eventually(async () => ((await job.getState()) === 'failed' ? true : undefined));
    expect(await queue.getJobCountByTypes('failed')).toBe(failedBefore + 1);
    expect(await metrics.registry.metrics()).toContain(
      `twofold_security_events_jobs{state="failed"} ${failedBefore + 1}`,
    );
  });
});
