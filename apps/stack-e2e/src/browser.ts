import { existsSync, mkdirSync, readFileSync } from 'node:fs';
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

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's critical and serious findings on the page as it is now (evaluated past the page's CSP). */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResults> } }
    ).axe;
    type AxeResults = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
    const { violations } = await axe.run(document, {
      runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'],
    });
    return violations
      .filter((v) => v.impact === 'critical' || v.impact === 'serious')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

export const PHONE = { width: 390, height: 844 };

const horizontalOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** The header's switch, clicked without moving focus (a keyboard test may be checking it). */
const showIn = (page: Page, language: 'English' | 'Deutsch') =>
  page.evaluate((name) => {
    const button = [...document.querySelectorAll<HTMLButtonElement>('.language button')].find(
      (b) => b.querySelector('.long')?.textContent === name,
    );
    button?.click();
  }, language);

/**
 * Writes full-page screenshots of a key screen into test-artifacts/screenshots/: as it is, on a
 * 390 px phone, and both again in German. Each one must have every ARIA reference resolved, no
 * critical or serious axe-core finding and, on the phone, no horizontal scrolling.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const viewport = page.viewportSize();
  const translatable = (await page.locator('.language button').count()) > 0;
  const check = async (variant: string) => {
    const dangling = await danglingAriaReferences(page);
    if (dangling.length > 0) throw new Error(`screen "${variant}": ${dangling.join(', ')} name no element`);
    const problems = await accessibilityProblems(page);
    if (problems.length > 0) throw new Error(`screen "${variant}": axe-core found\n${problems.join('\n')}`);
    if (page.viewportSize()?.width === PHONE.width) {
      const overflow = await horizontalOverflow(page);
      if (overflow > 0) throw new Error(`screen "${variant}" scrolls ${overflow} px sideways on a phone`);
    }
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${variant}.png`), fullPage: true, scale: 'css' });
  };
  try {
    for (const language of translatable ? (['English', 'Deutsch'] as const) : (['English'] as const)) {
      const suffix = language === 'Deutsch' ? '--de' : '';
      if (translatable) await showIn(page, language);
      if (viewport) await page.setViewportSize(viewport);
      await check(`${name}${suffix}`);
      await page.setViewportSize(PHONE);
      await check(`${name}${suffix}--phone`);
    }
  } finally {
    if (translatable) await showIn(page, 'English');
    if (viewport) await page.setViewportSize(viewport);
  }
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
