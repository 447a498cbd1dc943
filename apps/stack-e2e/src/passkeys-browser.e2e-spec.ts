import { type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import {
  CHROMIUM_PATH,
  chromiumInstalled,
  collectPageErrors,
  launchChromium,
  openTool,
  screenshot,
} from './browser';
import { type RunningStack, startStack } from './support';

jest.setTimeout(180_000);

const PASSWORD = 'correct horse battery staple';
/** Short, so that a step-up is asked for when the test waits it out. */
const STEP_UP_SECONDS = 2;
/** A laptop's built-in authenticator that holds passkeys and verifies its user (the test presses it). */
const PLATFORM_AUTHENTICATOR = {
  protocol: 'ctap2',
  transport: 'internal',
  hasResidentKey: true,
  hasUserVerification: true,
  isUserVerified: true,
  automaticPresenceSimulation: true,
} as const;

// With CI set, a missing browser is a failure, never a skip (see account-settings.e2e-spec.ts).
const describeInBrowser = chromiumInstalled || process.env.CI ? describe : describe.skip;

/**
 * Passkeys in the web app, in Chromium with its virtual authenticator (DevTools' WebAuthn domain:
 * CTAP2, internal transport, resident keys, user verification): add one in Settings, sign in with
 * it after the password, then without a password, step up with it, and sign in from autofill.
 */
describeInBrowser('passkeys in the web app (Chromium’s virtual authenticator)', () => {
  let running: RunningStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  let authenticatorId: string;
  let errors: string[];
  let url: string;
  const login = `web-passkey-${Date.now()}`;

  beforeAll(async () => {
    if (!chromiumInstalled) throw new Error(`CI=true: no Chromium at ${CHROMIUM_PATH} (.ci/run installs it)`);
    running = await startStack('e2e_web_passkeys', {
      env: { STEP_UP_MAX_AGE_SECONDS: String(STEP_UP_SECONDS) },
    });
    // A passkey's site is a name: the browser refuses an IP address.
    url = running.stack.publicUrl;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Autofill (conditional UI) resolves at once with the virtual authenticator: here it is off,
    // so each step is the one clicked; the last test has it on.
    await context.addInitScript(() => {
      PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(false);
    });
    page = await context.newPage();
    errors = collectPageErrors(page);
    cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: PLATFORM_AUTHENTICATOR,
    }));
    const created = await running.api('/api/v1/accounts', {
      method: 'POST',
      json: {
        accountName: `Web passkeys ${login}`,
        login,
        email: `${login}@example.com`,
        password: PASSWORD,
      },
    });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await running?.close();
  });

  const signedIn = () => page.getByText(`Signed in as ${login}`).waitFor();
  const signOut = async () => {
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  };
  const stepUpWaitedOut = () => page.waitForTimeout(STEP_UP_SECONDS * 1000 + 500);

  it('adds a passkey in Settings: 2FA is on, with recovery codes shown once', async () => {
    await page.goto(`${url}/#/sign-in`);
    await page.getByLabel('Login').fill(login);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await signedIn();
    await stepUpWaitedOut();

    await openTool(page, 'New passkey');
    await page.getByLabel('Name of the new passkey').fill('This laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    // The session is older than a step-up lasts: the password again, then the passkey is made.
    const dialog = page.getByRole('dialog', { name: 'Confirm it’s you' });
    await dialog.getByLabel('Password').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Confirm' }).click();

    await page.getByText('Your recovery codes are shown only now.').waitFor();
    await page.getByTestId('passkey').filter({ hasText: 'This laptop' }).waitFor();
    await page.getByText('Your passkey is added: two-factor authentication is on.').waitFor();
    // The session that added it proved it: listed as signed in with 2FA.
    await page.getByTestId('current-session').filter({ hasText: 'with 2FA' }).waitFor();
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toEqual([expect.objectContaining({ isResidentCredential: true, rpId: 'localhost' })]);
    await screenshot(page, 'passkey-added');
  });

  it('signs in with the password and then the passkey, offered first', async () => {
    await signOut();
    await page.getByLabel('Login').fill(login);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    await page.getByRole('button', { name: 'Use my passkey' }).click();
    await signedIn();
  });

  it('signs in with the passkey alone', async () => {
    await signOut();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await signedIn();
  });

  it('steps up with the passkey', async () => {
    await stepUpWaitedOut();
    await openTool(page, 'Recovery codes');
    await page.getByRole('button', { name: 'Regenerate recovery codes' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it’s you' });
    await dialog.getByRole('button', { name: 'Use my passkey' }).click();

    await page.getByText('New recovery codes are ready').waitFor();
    expect(errors).toEqual([]);
  });

  it('offers the passkey in the login field’s autofill (conditional UI), which signs in', async () => {
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    const other = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const otherPage = await other.newPage();
      const otherCdp = await other.newCDPSession(otherPage);
      await otherCdp.send('WebAuthn.enable');
      const added = await otherCdp.send('WebAuthn.addVirtualAuthenticator', {
        options: PLATFORM_AUTHENTICATOR,
      });
      // The same passkey, synced to this browser.
      await otherCdp.send('WebAuthn.addCredential', {
        authenticatorId: added.authenticatorId,
        credential: credentials[0],
      });

      await otherPage.goto(`${url}/#/sign-in`);
      // A person picks the passkey from the field's list; the virtual authenticator answers the
      // request by itself, often before the field could be focused.
      await otherPage
        .getByLabel('Login')
        .focus({ timeout: 1_000 })
        .catch(() => undefined);

      await otherPage.getByText(`Signed in as ${login}`).waitFor();
    } finally {
      await other.close();
    }
  });
});
