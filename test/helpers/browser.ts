// Debian's Chromium driven by playwright-core: no browser download, no network.
import fs from "node:fs";
import path from "node:path";

import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";

import type { RunningDemo } from "../../scripts/demo";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const hasChromium = fs.existsSync(CHROMIUM);
export const SCREENSHOT_DIR = path.resolve("test-results/screenshots");

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

// Headless Chromium announces itself as "HeadlessChrome", which isbot (and so the Shopify library)
// treats as a crawler and answers 410: present the desktop browser a merchant uses.
const DESKTOP_CHROME =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

export async function newMerchantPage(browser: Browser): Promise<Page> {
  return browser.newPage({ userAgent: DESKTOP_CHROME, viewport: { width: 1280, height: 900 } });
}

export interface DemoInBrowser {
  demo: RunningDemo;
  browser: Browser;
}

// The demo (in this process, on its embedded database) and Chromium, started before a describe
// block's tests and stopped after them. The fields are filled in by beforeAll.
export function demoInBrowser(): DemoInBrowser {
  const running = {} as DemoInBrowser;
  beforeAll(async () => {
    const { startDemo } = await import("../../scripts/demo");
    running.demo = await startDemo();
    running.browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await running.browser?.close();
    await running.demo?.close();
  });
  return running;
}
