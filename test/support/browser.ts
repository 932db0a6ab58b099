import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { Browser, BrowserContext, BrowserContextOptions, chromium, Locator, Page } from 'playwright-core';

import { bootApp, TestApp } from './test-app';

// Real-browser tests drive Debian's chromium through playwright-core: never a downloaded browser.
// One browser per test file (launch in beforeAll, close in afterAll); one context per page, so
// pages share nothing (cookies, storage).

export const SCREENSHOT_DIR = resolve(__dirname, '..', 'screenshots');

const VIEWPORTS = {
  // A mainland client's phone: 390 CSS px wide, Chinese locale, Beijing time.
  phone: {
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  },
  desktop: {
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  },
} satisfies Record<string, BrowserContextOptions>;

export type ViewportName = keyof typeof VIEWPORTS;

export interface TestPage {
  page: Page;
  context: BrowserContext;
  // Console errors and uncaught page errors, in order; a test expects this to stay empty.
  errors: string[];
  // The page's API calls as "METHOD /path → status", in order: a failing step prints them.
  apiLog: string[];
  // CSS px the document is wider than the viewport asked for (0 when it fits). On a phone Chromium
  // widens the layout viewport to fit wide content, so window.innerWidth cannot be the yardstick.
  horizontalOverflow(): Promise<number>;
  // Saves test/screenshots/<current test name>[-<step>].png (full page) and returns its path.
  screenshot(step?: string): Promise<string>;
  close(): Promise<void>;
}

export interface TestBrowser {
  browser: Browser;
  version: string;
  open(viewport?: ViewportName, options?: { baseURL?: string }): Promise<TestPage>;
  // Closes every page and the browser; safe to call twice.
  close(): Promise<void>;
}

// Ant Design Select helpers. An option is only clicked once its list has finished the opening
// animation: a click on a list that still moves can land on the field below it, and the choice is
// silently lost (seen under load in CI). Options are the visible ones (their role="option" twins
// are for screen readers).
const SETTLED_LIST =
  '.ant-select-dropdown:not(.ant-select-dropdown-hidden)' +
  ':not([class*="-enter"]):not([class*="-appear"]):not([class*="-leave"])';

export function selectOption(page: Page, text: string | RegExp, options: { exact?: boolean } = {}): Locator {
  const visible = page.locator(`${SETTLED_LIST} .ant-select-item-option`).filter({ visible: true });
  return (
    options.exact && typeof text === 'string'
      ? visible.filter({ has: page.getByText(text, { exact: true }) })
      : visible.filter({ hasText: text })
  ).first();
}

// The box of an element once it has stopped moving. Ant Design opens a Modal with a zoom from the
// clicked button: measured mid-animation, a dialog that fits can reach past the screen's edge (seen
// under load in CI). Waits for the animation classes to go and for two equal boxes a frame apart.
export async function settledBox(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  await locator.waitFor();
  let previous = await locator.boundingBox();
  for (let attempt = 0; attempt < 50; attempt += 1) {
    await locator.page().waitForTimeout(50);
    const box = await locator.boundingBox();
    const moving = await locator.evaluate((node) => {
      // The tests' TypeScript has no DOM types: the little of the DOM used here. Only the element and
      // what encloses it count: a field's message inside a dialog may keep a motion class for long.
      const element = node as unknown as {
        closest(selector: string): unknown;
        getAnimations(): { playState: string }[];
      };
      const animating = '[class*="-enter"], [class*="-appear"], [class*="-leave"]';
      return (
        element.closest(animating) !== null ||
        element.getAnimations().some((animation) => animation.playState === 'running')
      );
    });
    if (!moving && box && previous && JSON.stringify(box) === JSON.stringify(previous)) return box;
    previous = box;
  }
  throw new Error('the element kept moving for 2.5 s');
}

// The phone's width in CSS px (VIEWPORTS.phone): what a page or a dialog must fit in.
export const PHONE_WIDTH = VIEWPORTS.phone.viewport.width;

// Checks the page fits the phone: no sideways scrolling, or, with a dialog open (Ant Design
// scroll-locks the page behind it), the dialog within the screen once it has stopped moving; then
// saves the step's screenshot. (A full-page screenshot taken first can move an open dialog: seen
// once in CI.)
export async function expectFits(tab: TestPage, step: string, dialog?: Locator): Promise<void> {
  if (dialog) {
    const box = await settledBox(dialog);
    expect({ step, left: box.x >= 0, right: box.x + box.width <= PHONE_WIDTH }).toEqual({
      step,
      left: true,
      right: true,
    });
  } else {
    expect({ step, overflow: await tab.horizontalOverflow() }).toEqual({ step, overflow: 0 });
  }
  await tab.screenshot(step);
}

// Opens the Select whose input is `select`, types the text when the Select searches (long lists,
// shared by other test files, render only their first items), clicks the exact option and checks
// that the field now shows it; tries three times before failing with the reason.
export async function pickOption(page: Page, select: Locator, text: string): Promise<void> {
  const field = select.locator(
    'xpath=ancestor::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]',
  );
  // The field's own text is its chosen value(s): typed search text is an input value, not text.
  const chosen = field.filter({ hasText: text });
  for (let attempt = 1; ; attempt++) {
    await select.click();
    if ((await select.getAttribute('readonly')) === null && (await select.getAttribute('role')) === 'combobox')
      await select.fill(text);
    try {
      await selectOption(page, text, { exact: true }).click({ timeout: 5_000 });
      await chosen.waitFor({ timeout: 2_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw new Error(`could not pick "${text}" after 3 tries`, { cause: error });
      await page.keyboard.press('Escape');
    }
  }
}

// Root in a container: no user namespaces for the sandbox, a small /dev/shm, no GPU.
const FLAGS = ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'];

// Signs in through the login page, as a user would, and waits until the console has left it.
export async function signIn(tab: TestPage, email: string, password = 'password-123'): Promise<void> {
  await tab.page.goto('/login');
  await tab.page.getByLabel('邮箱').fill(email);
  await tab.page.getByLabel('密码').fill(password);
  await tab.page.keyboard.press('Enter');
  await tab.page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

export async function launchBrowser(): Promise<TestBrowser> {
  const executablePath = process.env.BROWSER_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `No chromium at ${executablePath}. Browser tests use Debian's chromium, never a downloaded one: ` +
        `install it with "apt-get install -y chromium" (or run .ci/run, which does), or set BROWSER_PATH.`,
    );
  }
  const browser = await chromium.launch({ executablePath, headless: true, args: FLAGS, timeout: 30_000 });
  const contexts = new Set<BrowserContext>();
  return {
    browser,
    version: browser.version(),
    async open(viewport = 'phone', options = {}) {
      const context = await browser.newContext({ ...VIEWPORTS[viewport], baseURL: options.baseURL });
      contexts.add(context);
      // Fail a step in seconds (20: CI runs two test files at once on two cores), well inside
      // jest's test timeout, with Playwright's own message.
      context.setDefaultTimeout(20_000);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        const source = message.location().url;
        // The browser asks for /favicon.ico on its own and the app serves none; a page's own
        // failed resources still count.
        if (message.type() === 'error' && !isFavicon(source)) errors.push(`console: ${message.text()} (${source})`);
      });
      page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
      const apiLog: string[] = [];
      page.on('response', (response) => {
        const url = new URL(response.url());
        if (url.pathname.startsWith('/api/')) {
          apiLog.push(`${response.request().method()} ${url.pathname}${url.search} → ${response.status()}`);
        }
      });
      page.on('requestfailed', (request) => {
        const url = new URL(request.url());
        if (url.pathname.startsWith('/api/')) {
          apiLog.push(`${request.method()} ${url.pathname} → failed: ${request.failure()?.errorText}`);
        }
      });
      return {
        page,
        context,
        errors,
        apiLog,
        async horizontalOverflow() {
          const width = await page.evaluate<number>('document.documentElement.scrollWidth');
          return Math.max(0, width - VIEWPORTS[viewport].viewport.width);
        },
        async screenshot(step) {
          mkdirSync(SCREENSHOT_DIR, { recursive: true });
          // The test's name is cut, never the step: a long name must not make its steps overwrite each other.
          const name = [slug(expect.getState().currentTestName ?? 'screenshot').slice(0, 100), step && slug(step)]
            .filter(Boolean)
            .join('-');
          const path = join(SCREENSHOT_DIR, `${name}.png`);
          await page.screenshot({ path, fullPage: true });
          return path;
        },
        async close() {
          contexts.delete(context);
          await context.close();
        },
      };
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      contexts.clear();
      await browser.close();
    },
  };
}

function isFavicon(url: string): boolean {
  return URL.canParse(url) && new URL(url).pathname === '/favicon.ico';
}

// Test names become file names: letters (Chinese too) and digits, joined by dashes.
function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '');
}

export interface BrowserApp {
  t: TestApp;
  browser: TestBrowser;
  baseURL: string;
  close(): Promise<void>;
}

// The app on a random port and chromium, started side by side. If either fails, whatever did
// start is closed before the error is thrown, so no browser or server outlives a failed boot.
export async function startBrowserApp(options: Parameters<typeof bootApp>[0] = {}): Promise<BrowserApp> {
  let t: TestApp | undefined;
  let browser: TestBrowser | undefined;
  const closeAll = async (): Promise<void> => {
    await Promise.allSettled([browser?.close(), t?.close()]);
  };
  const started = await Promise.allSettled([
    bootApp(options).then((app) => (t = app)),
    launchBrowser().then((b) => (browser = b)),
  ]);
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await closeAll();
    throw failed.reason;
  }
  await t!.app.listen(0, '127.0.0.1');
  return { t: t!, browser: browser!, baseURL: await t!.app.getUrl(), close: closeAll };
}
