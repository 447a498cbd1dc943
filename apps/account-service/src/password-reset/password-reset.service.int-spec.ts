import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import {
  createIntegrationEnv,
  domainErrorOf,
  eventually,
  type IntegrationEnv,
  type SmtpCatcher,
  linkIn,
  startSmtpCatcher,
  metaFrom,
} from '@twofold/testing';
import { SecurityStamps } from '@twofold/platform';
import { type DataSource } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import { AppModule } from '../app.module';
import { loadAccountConfig } from '../config/account-config';
import { EmailService } from '../email/email.service';
import { LinkTokensRepository } from '../links/link-tokens.repository';
import { MembersService } from '../members/members.service';
import { NotMeService } from '../not-me/not-me.service';
import { PasswordResetService } from './password-reset.service';

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a new passphrase nobody knows';

describe(PasswordResetService.name, () => {
  let infra: IntegrationEnv;
  let smtp: SmtpCatcher;
  let app: INestApplicationContext;
  let reset: PasswordResetService;
  let accounts: AccountsService;
  let links: LinkTokensRepository;
  let db: DataSource;
  let n = 0;

  beforeAll(async () => {
    infra = await createIntegrationEnv('password_reset');
    smtp = await startSmtpCatcher();
    const module = await Test.createTestingModule({
      imports: [
        AppModule.forRoot(
          loadAccountConfig({
            ...infra.env,
            SMTP_URL: smtp.url,
            PUBLIC_URL: 'https://id.example.com/',
            PASSWORD_RESET_EMAILS_PER_HOUR: '2',
          }),
        ),
      ],
    }).compile();
    app = await module.init();
    reset = app.get(PasswordResetService);
    accounts = app.get(AccountsService);
    links = app.get(LinkTokensRepository);
    db = app.get<DataSource>(getDataSourceToken());
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    await infra?.cleanup();
  });

  /** A new account's owner, its address proven by the link of its first e-mail (reset links go only there). */
  const member = async () => {
    n += 1;
    const created = await accounts.signUp(
      {
        accountName: `Reset ${n}`,
        login: `reset-${n}-${Date.now()}`,
        email: `reset-${n}-${Date.now()}@example.com`,
        password: PASSWORD,
      },
      null,
    );
    await confirm(created.user.email);
    return created;
  };
  /** Opens the link that proves `email` (the first e-mail to a new account or member carries it). */
  const confirm = async (email: string) => {
    const link = await eventually(() => {
      const mail = smtp.mails.find((m) => m.to.includes(email) && linkIn(m, 'verify-email'));
      return mail ? linkIn(mail, 'verify-email') : undefined;
    });
    await app.get(EmailService).verify(link.token, null);
  };
  /** Asks for a link and takes it from the e-mail (the `count`-th one sent to the member). */
  const linkFor = async (login: string, email: string, count = 1): Promise<string> => {
    await reset.request(login, null);
    return eventually(() => {
      const mails = smtp.mails.filter((m) => m.to.includes(email) && linkIn(m, 'password-reset'));
      return mails.length >= count ? linkIn(mails[count - 1], 'password-reset')!.token : undefined;
    });
  };
  const signsIn = (login: string, password: string) =>
    accounts.authenticatePassword({ login, password }, metaFrom('192.0.2.1')).then(
      () => true,
      () => false,
    );

  it('e-mails a link under PUBLIC_URL, stores only its hash, and sets a new password with it once', async () => {
    const { user } = await member();
    const token = await linkFor(user.login, user.email);

    const mail = smtp.mails.find((m) => m.to.includes(user.email) && linkIn(m, 'password-reset'))!;
    expect(linkIn(mail, 'password-reset')!.url).toBe(
      `https://id.example.com/#/password-reset?token=${token}`,
    );
    const stored = await db.query<{ token_hash: Buffer; lifetime: number }[]>(
      `SELECT token_hash, extract(epoch FROM expires_at - created_at)::int AS lifetime
       FROM account.link_tokens WHERE member_id = $1 AND purpose = 'password_reset'`,
      [user.id],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash.toString('utf8')).not.toContain(token);
    // PASSWORD_RESET_LINK_TTL_SECONDS: 30 minutes, said in the e-mail too.
    expect(stored[0].lifetime).toBe(1800);
    expect(mail.text).toContain('within 30 minutes');

    await reset.complete(token, NEW_PASSWORD, null);

    expect(await signsIn(user.login, NEW_PASSWORD)).toBe(true);
    expect(await signsIn(user.login, PASSWORD)).toBe(false);
    expect((await domainErrorOf(reset.complete(token, 'yet another passphrase', null))).code).toBe(
      'link_invalid',
    );
  });

  it('ends every grant of the member: its security stamp moves on', async () => {
    const { user } = await member();
    const token = await linkFor(user.login, user.email);
    const stamps = app.get(SecurityStamps);
    const before = await stamps.current(user.id);

    await reset.complete(token, NEW_PASSWORD, null);

    expect(await stamps.current(user.id)).not.toBe(before);
  });

  it('sends nothing for an unknown login, and at most the hourly limit for a known one, answering all alike', async () => {
    const { user } = await member();
    const unknown = `nobody-${randomUUID()}`;

    const answers = await Promise.all([
      reset.request(unknown, null),
      reset.request(user.login, null),
      reset.request(user.login.toUpperCase(), null),
      reset.request(user.login, null),
    ]);

    expect(answers).toEqual(Array(4).fill({ accepted: true }));
    await eventually(() =>
      smtp.mails.filter((m) => m.to.includes(user.email)).length >= 2 ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.mails.filter((m) => m.to.includes(user.email) && linkIn(m, 'password-reset'))).toHaveLength(
      2,
    );
  });

  it('lets exactly one of concurrent uses of a link through', async () => {
    const { user } = await member();
    const token = await linkFor(user.login, user.email);

    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => reset.complete(token, `${NEW_PASSWORD} ${i}`, null)),
    );

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const winner = results.findIndex((r) => r.status === 'fulfilled');
    expect(await signsIn(user.login, `${NEW_PASSWORD} ${winner}`)).toBe(true);
  });

  it('voids the links sent before a password set any other way (by the member, or an admin)', async () => {
    const owner = await member();
    const added = await app.get(MembersService).add(
      {
        actor: { memberId: owner.user.id, accountId: owner.account.id },
        member: {
          login: `added-${Date.now()}`,
          email: `added-${Date.now()}@example.com`,
          password: PASSWORD,
          // An admin sets the password of an ops-only member only (others choose their own).
          roles: ['ops'],
        },
      },
      null,
    );
    await confirm(added.email);
    const ownersLink = await linkFor(owner.user.login, owner.user.email);
    const addedLink = await linkFor(added.login, added.email);

    await accounts.changePassword(
      { memberId: owner.user.id, currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
      null,
    );
    await app.get(MembersService).setPassword(
      {
        actor: { memberId: owner.user.id, accountId: owner.account.id },
        memberId: added.id,
        password: NEW_PASSWORD,
      },
      null,
    );

    for (const token of [ownersLink, addedLink]) {
      expect((await domainErrorOf(reset.complete(token, 'yet another passphrase', null))).code).toBe(
        'link_invalid',
      );
    }
  });

  it('refuses an expired link, and a "this wasn\'t me" link, and changes nothing', async () => {
    const { user } = await member();
    const token = await linkFor(user.login, user.email);
    await db.query(
      `UPDATE account.link_tokens SET expires_at = now() - interval '1 second' WHERE member_id = $1`,
      [user.id],
    );
    const notMe = await links.issue({
      memberId: user.id,
      purpose: 'not_me',
      eventId: randomUUID(),
      now: new Date(),
      ttlSeconds: 60,
    });

    expect((await domainErrorOf(reset.complete(token, NEW_PASSWORD, null))).code).toBe('link_invalid');
    expect((await domainErrorOf(reset.complete(notMe!, NEW_PASSWORD, null))).code).toBe('link_invalid');
    expect(await signsIn(user.login, PASSWORD)).toBe(true);
  });

  it('lifts the stop of "this wasn\'t me": password sign-in works again with the new password', async () => {
    const { user } = await member();
    const notMe = await links.issue({
      memberId: user.id,
      purpose: 'not_me',
      eventId: randomUUID(),
      now: new Date(),
      ttlSeconds: 60,
    });
    await app.get(NotMeService).report(notMe!, null);
    const stopped = await domainErrorOf(
      accounts.authenticatePassword({ login: user.login, password: PASSWORD }, null),
    );
    expect(stopped.code).toBe('password_reset_required');
    expect((await domainErrorOf(reset.complete(notMe!, NEW_PASSWORD, null))).code).toBe('link_invalid');

    await reset.complete(await linkFor(user.login, user.email), NEW_PASSWORD, null);

    expect(await signsIn(user.login, NEW_PASSWORD)).toBe(true);
  });
});

describe(LinkTokensRepository.name, () => {
  let infra: IntegrationEnv;
  let app: INestApplicationContext;
  let links: LinkTokensRepository;
  let memberId: string;

  beforeAll(async () => {
    infra = await createIntegrationEnv('link_tokens');
    const module = await Test.createTestingModule({
      imports: [AppModule.forRoot(loadAccountConfig(infra.env))],
    }).compile();
    app = await module.init();
    links = app.get(LinkTokensRepository);
    memberId = (
      await app.get(AccountsService).signUp(
        {
          accountName: 'Links',
          login: `links-${Date.now()}`,
          email: 'links@example.com',
          password: PASSWORD,
        },
        null,
      )
    ).user.id;
  });

  afterAll(async () => {
    await app?.close();
    await infra?.cleanup();
  });

  const issue = (eventId = randomUUID(), ttlSeconds = 60) =>
    links.issue({ memberId, purpose: 'not_me', eventId, now: new Date(), ttlSeconds });

  it('gives one e-mail one live link: a re-sent e-mail’s link replaces the one before', async () => {
    const eventId = randomUUID();
    const first = await issue(eventId);
    const second = await issue(eventId);

    expect(second).not.toBe(first);
    expect(await links.find('not_me', first!, new Date())).toBeUndefined();
    expect(await links.find('not_me', second!, new Date())).toEqual({ memberId, eventId, address: null });
  });

  it('makes no new link for an e-mail whose link was used, nor for a member who is gone', async () => {
    const eventId = randomUUID();
    const token = await issue(eventId);
    await links.use('not_me', token!, new Date(), () => Promise.resolve(true));

    expect(await issue(eventId)).toBeUndefined();
    expect(
      await links.issue({
        memberId: randomUUID(),
        purpose: 'not_me',
        eventId: randomUUID(),
        now: new Date(),
        ttlSeconds: 60,
      }),
    ).toBeUndefined();
  });

  it('leaves the link unused when the change made with it fails', async () => {
    const token = await issue();

    await expect(
      links.use('not_me', token!, new Date(), () => Promise.reject(new Error('the change failed'))),
    ).rejects.toThrow('the change failed');

    expect(await links.find('not_me', token!, new Date())).toBeDefined();
  });

  it('never finds a link for another purpose, nor past its expiry', async () => {
    const token = await issue(randomUUID(), 1);

    expect(await links.find('password_reset', token!, new Date())).toBeUndefined();
    expect(await links.find('not_me', token!, new Date(Date.now() + 2000))).toBeUndefined();
  });
});
