import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { ROOT_DIR } from './support';

/** Debian's `chromium` (which .ci/run installs); CHROMIUM_PATH points elsewhere. Never a download. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumInstalled = existsSync(CHROMIUM_PATH);

export const SCREENSHOT_DIR = join(ROOT_DIR, 'test-artifacts', 'screenshots');

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Root in a container has no user namespace for Chromium's sandbox.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

/** ARIA attributes that name other elements by id; a dangling one leaves a region or field unnamed. */
const ID_REFERENCES = [
  'aria-labelledby',
  'aria-describedby',
  'aria-controls',
  'aria-owns',
  'aria-errormessage',
];

export function danglingAriaReferences(page: Page): Promise<string[]> {
  return page.evaluate((attributes) => {
    const dangling: string[] = [];
    for (const attribute of attributes)
      for (const element of document.querySelectorAll(`[${attribute}]`))
        for (const id of (element.getAttribute(attribute) ?? '').split(/\s+/).filter(Boolean))
          if (!document.getElementById(id)) dangling.push(`${attribute}="${id}"`);
    return dangling;
  }, ID_REFERENCES);
}

/** Writes a full-page screenshot of a key screen into test-artifacts/screenshots/, once its ARIA references resolve. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dangling = await danglingAriaReferences(page);
  if (dangling.length > 0) throw new Error(`screen "${name}": ${dangling.join(', ')} name no element`);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Waits until the locator's text matches (the page updates asynchronously). */
export async function waitForText(locator: Locator, text: string | RegExp, timeout = 10_000): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ state: 'visible', timeout });
}

/**
 * Everything the page reported as an error: console errors (CSP violations among them) and
 * exceptions — but not Chromium's note on each 4xx answer, which the tests cause on purpose.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (
      message.type() === 'error' &&
      !/^Failed to load resource: the server responded with a status of 4\d\d/.test(text)
    ) {
      errors.push(text);
    }
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** Opens a closed disclosure (a rarely used tool) by its summary; an open one stays open. */
export async function openTool(page: Page, summary: string): Promise<void> {
  const details = page.locator('details.disclosure').filter({
    has: page.locator(':scope > summary', { hasText: new RegExp(`^${summary.replace(/[?()]/g, '\\$&')}$`) }),
  });
  if (!(await details.evaluate((el) => (el as HTMLDetailsElement).open))) {
    await details.locator(':scope > summary').click();
  }
}
