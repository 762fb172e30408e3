// The Rewards launcher (the theme app extension's app embed) in real Chromium, on a storefront
// stand-in (test/helpers/storefront.ts) that renders the embed's Liquid and forwards
// /apps/loyalty/* to the app the way Shopify's app proxy does, signature included.
//
// Against the demo app: a member opens it by keyboard, sees their balance, redeems a reward, sees
// and copies the code, and closes it with Escape; a guest is asked to log in; nothing on the page
// moves. Against a stand-in app: the answers the demo cannot easily give (refusals, failures).
import fs from "node:fs";
import http from "node:http";
import path from "node:path";

import { passthrough } from "msw";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { freePort } from "../../scripts/lib/free-port";
import { adminApi, http as mswHttp, HttpResponse, shopifyApi } from "../helpers/admin-api";
import { hasChromium, launchChromium, SCREENSHOT_DIR } from "../helpers/browser";
import {
  PROXY_PREFIX,
  proxySignature,
  readLocale,
  startStorefront,
  type LoyaltyProgramMetafield,
  type RunningStorefront,
} from "../helpers/storefront";

if (!hasChromium) console.warn("Skipping browser tests: no Chromium at /usr/bin/chromium (apt-get install chromium).");

declare global {
  interface Window {
    __layoutShifts: string[];
  }
}

type LauncherTexts = { launcher: Record<string, string> & { errors: Record<string, string> } };
const en = readLocale("en") as LauncherTexts;

interface LayoutShiftEntry {
  value: number;
  sources?: { node?: Node | null; previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly }[];
}

// Every layout shift from the page's first frame on, with what moved: there must be none.
async function watchLayoutShifts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.__layoutShifts = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as LayoutShiftEntry[]) {
        const moved = (entry.sources ?? []).map((source) => {
          const node = source.node instanceof Element ? source.node.outerHTML.slice(0, 80) : String(source.node);
          return `${node} from ${JSON.stringify(source.previousRect)} to ${JSON.stringify(source.currentRect)}`;
        });
        window.__layoutShifts.push(`${entry.value}: ${moved.join("; ")}`);
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
}

const layoutShifts = (page: Page) => page.evaluate(() => window.__layoutShifts);

interface Focused {
  inDialog: boolean;
  name: string;
  tag: string;
}

async function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    return {
      inDialog: Boolean(element?.closest("dialog")),
      name: element?.getAttribute("aria-label") ?? element?.textContent?.trim() ?? "",
      tag: element?.tagName.toLowerCase() ?? "",
    };
  });
}

const launcherState = (page: Page) =>
  page.evaluate(() => ({
    expanded: document.querySelector(".prn-launcher__toggle")!.getAttribute("aria-expanded"),
    open: document.querySelector("dialog")!.open,
    toggleFocused: document.activeElement === document.querySelector(".prn-launcher__toggle"),
  }));

async function waitForLive(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    (expected) => document.querySelector("[data-prn-status]")?.textContent === expected,
    text,
    { timeout: 15_000 },
  );
}

/** Page errors and console errors, less the browser's own line for an HTTP error status. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !/status of (401|404|409|500)/.test(message.text())) errors.push(message.text());
  });
  return errors;
}

async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, name) });
}

// The demo's loyalty program (seeded with the demo store) and a member who can afford a reward.
async function demoLoyalty(shop: string) {
  const { readLoyaltyProgram } = await import("~/loyalty/program.server");
  const stored = await readLoyaltyProgram(shop);
  const settings = stored?.program.settings;
  if (!stored?.program.enabled || !settings?.rewards.length)
    throw new Error("The demo shop has no active loyalty program with rewards: the launcher has nothing to show.");
  const reward = [...settings.rewards].sort((a, b) => a.pointsCost - b.pointsCost)[0];
  const { default: prisma } = await import("~/db.server");
  const account = await prisma.loyaltyAccount.findFirst({
    where: { shop: { shopDomain: shop }, pointsBalance: { gte: reward.pointsCost }, customer: { redactedAt: null } },
    orderBy: [{ pointsBalance: "desc" }, { customerId: "asc" }],
    select: { pointsBalance: true, customer: { select: { shopifyId: true, tags: true } } },
  });
  if (!account) throw new Error(`No demo member has the ${reward.pointsCost} points "${reward.name}" costs.`);
  const member = { shopifyId: account.customer.shopifyId.toString(), pointsBalance: account.pointsBalance };
  return { currencyCode: stored.currencyCode, settings, reward, member };
}

describe.skipIf(!hasChromium)("the Rewards launcher on a storefront, against the demo app", () => {
  let browser: Browser;
  let demo: { url: string; close(): Promise<void> };
  let storefront: RunningStorefront;
  let shop: string;
  let program: LoyaltyProgramMetafield;
  let member: { shopifyId: string; pointsBalance: number };
  let reward: { id: string; name: string; pointsCost: number };
  const discountRequests: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const { startDemo } = await import("../../scripts/demo");
    demo = await startDemo();
    browser = await launchChromium();
    const { DEMO_SHOP } = await import("~/demo/demo-store.server");
    shop = DEMO_SHOP;
    const loyalty = await demoLoyalty(shop);
    ({ reward, member } = loyalty);
    program = {
      enabled: true,
      currencyCode: loyalty.currencyCode,
      earn: { pointsPerCurrencyUnit: loyalty.settings.earnRate },
      rewards: loyalty.settings.rewards as unknown as Record<string, unknown>[],
      tiers: (loyalty.settings.tiers as unknown as Record<string, unknown>) ?? null,
    };
    storefront = await startStorefront({
      appUrl: new URL(demo.url).origin,
      shop,
      apiSecret: process.env.SHOPIFY_API_SECRET!,
      program,
      customers: { [member.shopifyId]: { id: member.shopifyId, pointsBalance: member.pointsBalance } },
      productPrice: 4500,
    });
  }, 300_000);

  afterAll(async () => {
    await storefront?.close();
    await browser?.close();
    await demo?.close();
  });

  beforeEach(() => {
    // The stand-in storefront reaches the app over loopback; the app asks Shopify for the code.
    shopifyApi.use(
      mswHttp.all(/^http:\/\/127\.0\.0\.1:\d+\/proxy\//, () => passthrough()),
      // RewardCode (amount or percentage off) or RewardShippingCode (free shipping).
      adminApi(shop).mutation(/^Reward(Shipping)?Code$/, ({ operationName, variables }) => {
        discountRequests.push(variables.discount as Record<string, unknown>);
        const field = operationName === "RewardCode" ? "discountCodeBasicCreate" : "discountCodeFreeShippingCreate";
        return HttpResponse.json({
          data: {
            [field]: {
              codeDiscountNode: { id: `gid://shopify/DiscountCodeNode/${discountRequests.length}` },
              userErrors: [],
            },
          },
        });
      }),
    );
  });

  it("works by keyboard: open, balance, redeem, copy the code, Escape", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: storefront.origin });
    await context.addCookies([storefront.customerCookie(member.shopifyId)]);
    const page = await context.newPage();
    const errors = collectErrors(page);
    await watchLayoutShifts(page);
    await page.goto(storefront.url);
    await page.waitForLoadState("load");
    const headingBefore = await page.locator("main h1").boundingBox();

    // Nothing is fetched until the shopper opens the launcher.
    await page.waitForTimeout(300);
    expect(storefront.proxied).toEqual([]);

    // The launcher's button is the first stop of the keyboard.
    await page.keyboard.press("Tab");
    expect(await focused(page)).toMatchObject({ tag: "button", name: en.launcher.open, inDialog: false });
    expect(await launcherState(page)).toMatchObject({ expanded: "false", open: false });

    await page.keyboard.press("Enter");
    expect(await launcherState(page)).toMatchObject({ expanded: "true", open: true });
    expect(await focused(page)).toMatchObject({ inDialog: true, name: en.launcher.close });
    const dialog = page.getByRole("dialog", { name: en.launcher.title });
    await dialog.waitFor();

    // The balance, as the database holds it.
    const pointsText = (points: number) => `${points.toLocaleString("en-US")} ${points === 1 ? "point" : "points"}`;
    await waitForLive(page, pointsText(member.pointsBalance));
    expect(await page.locator(".prn-launcher__points").innerText()).toBe(pointsText(member.pointsBalance));
    const items = page.locator(".prn-launcher__reward");
    expect(await items.count()).toBe(program.rewards!.length);
    expect(
      storefront.proxied.map(({ method, path: proxiedPath, status }) => `${method} ${proxiedPath} ${status}`).sort(),
    ).toEqual([`GET ${PROXY_PREFIX}/balance 200`, `GET ${PROXY_PREFIX}/rewards 200`]);
    expect(storefront.proxied.every((request) => request.loggedInCustomerId === member.shopifyId)).toBe(true);

    // Tab to the reward's Redeem button; focus never leaves the dialog on the way.
    const redeemName = `Redeem ${reward.name} for ${pointsText(reward.pointsCost)}`;
    for (let step = 0; step < 30 && (await focused(page)).name !== redeemName; step += 1) {
      await page.keyboard.press("Tab");
      expect((await focused(page)).inDialog).toBe(true);
    }
    expect((await focused(page)).name).toBe(redeemName);
    await page.keyboard.press("Enter");

    // The code, announced and focused for copying.
    const codeBox = page.locator(".prn-launcher__code code");
    await page.waitForFunction(() => document.querySelector(".prn-launcher__code code, .prn-launcher__error"), null, {
      timeout: 20_000,
    });
    const status = page.locator("[data-prn-status]");
    expect(await status.getAttribute("class"), `an error: ${await status.innerText()}`).not.toContain("error");
    await codeBox.waitFor();
    const code = await codeBox.innerText();
    expect(code).toMatch(/^PRN-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await waitForLive(page, `Your discount code for ${reward.name} is ${code}. Use it at checkout.`);
    expect(await focused(page)).toMatchObject({ name: en.launcher.copy, inDialog: true });
    const after = member.pointsBalance - reward.pointsCost;
    expect(await page.locator(".prn-launcher__points").innerText()).toBe(pointsText(after));
    expect(discountRequests.at(-1)).toMatchObject({
      code,
      context: { customers: { add: [`gid://shopify/Customer/${member.shopifyId}`] } },
    });
    const { default: prisma } = await import("~/db.server");
    const account = await prisma.loyaltyAccount.findFirstOrThrow({
      where: { customer: { shopifyId: BigInt(member.shopifyId), shop: { shopDomain: shop } } },
    });
    expect(account.pointsBalance).toBe(after);
    await screenshot(page, "launcher-redeemed.png");

    await page.keyboard.press("Enter");
    await waitForLive(page, en.launcher.copied);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);

    // The focus trap: Tab from the last control comes back to the first, Shift+Tab goes round.
    const controls = await page.locator("dialog a[href], dialog button:not(:disabled)").count();
    const seen = new Set<string>();
    for (let step = 0; step <= controls; step += 1) {
      await page.keyboard.press("Tab");
      const now = await focused(page);
      expect(now.inDialog).toBe(true);
      seen.add(now.name);
    }
    expect(seen.has(en.launcher.close)).toBe(true);
    await page.locator("[data-prn-close]").focus();
    await page.keyboard.press("Shift+Tab");
    expect((await focused(page)).inDialog).toBe(true);
    expect((await focused(page)).name).not.toBe(en.launcher.close);

    // Escape closes it and gives the focus back to the button.
    await page.keyboard.press("Escape");
    expect(await launcherState(page)).toEqual({ expanded: "false", open: false, toggleFocused: true });

    // Nothing on the page moved, from the first frame to now.
    expect(await layoutShifts(page)).toEqual([]);
    expect(await page.locator("main h1").boundingBox()).toEqual(headingBefore);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("asks a guest to log in or create an account", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await watchLayoutShifts(page);
    const before = storefront.proxied.length;
    await page.goto(storefront.url);
    await page.getByRole("button", { name: en.launcher.open }).click();
    await page.getByText(en.launcher.guest).waitFor();
    const links = await page
      .locator("dialog a")
      .evaluateAll((anchors) => anchors.map((a) => [a.textContent, a.getAttribute("href")]));
    expect(links).toEqual([
      [en.launcher.login, "/account/login"],
      [en.launcher.register, "/account/register"],
    ]);
    expect(await page.locator(".prn-launcher__reward").count()).toBe(0);
    // The guest message shows on the first 401; the other request may still be on its way.
    await expect.poll(() => storefront.proxied.length - before).toBe(2);
    expect(storefront.proxied.slice(before).map((request) => [request.loggedInCustomerId, request.status])).toEqual([
      ["", 401],
      ["", 401],
    ]);
    await screenshot(page, "launcher-guest.png");
    await page.keyboard.press("Escape");
    expect(await launcherState(page)).toMatchObject({ open: false, toggleFocused: true });
    expect(await layoutShifts(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

// --- Against a stand-in app ---------------------------------------------------------------------

interface StandInAnswer {
  status?: number;
  body: unknown;
}
type StandInHandler = (endpoint: string, body: unknown) => StandInAnswer;

/** A stand-in for the app's /proxy routes that checks Shopify's signature like the app does. */
async function startStandInApp(secret: string, handler: { current: StandInHandler }) {
  const port = await freePort();
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    let raw = "";
    request.on("data", (chunk) => (raw += chunk));
    request.on("end", () => {
      const signed = proxySignature(url.searchParams, secret) === url.searchParams.get("signature");
      const answer: StandInAnswer = signed
        ? handler.current(url.pathname.replace(/^\/proxy\//, ""), raw ? JSON.parse(raw) : null)
        : { status: 401, body: { error: { code: "badSignature", message: "bad signature" } } };
      response.writeHead(answer.status ?? 200, { "content-type": "application/json" });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const STAND_IN_BALANCE = {
  shopper: { customerId: "42", firstName: "Ada" },
  currencyCode: "EUR",
  pointsBalance: 1250,
  pendingPoints: 40,
  tier: { id: "gold", name: "Or", earnMultiplier: "1.5" },
  nextTier: { id: "platinum", name: "Platine", unit: "money", remaining: "150.00", progress: 0.62 },
  expiring: { points: 200, on: "2027-01-10T00:00:00.000Z" },
  earn: { pointsPerCurrencyUnit: "0.1" },
};

const STAND_IN_REWARDS = {
  pointsBalance: 1250,
  rewards: [
    {
      id: "five-off",
      name: "5 € de réduction",
      pointsCost: 500,
      minimumOrder: "20.00",
      discount: { type: "fixedAmount", amount: "5.00" },
      affordable: true,
    },
    {
      id: "big",
      name: "Livraison offerte",
      pointsCost: 2000,
      minimumOrder: "0.00",
      discount: { type: "freeShipping" },
      affordable: false,
    },
  ],
};

describe.skipIf(!hasChromium)("the Rewards launcher in French, against a stand-in app", () => {
  const secret = "stand-in-secret";
  const handler: { current: StandInHandler } = { current: () => ({ body: {} }) };
  const fr = readLocale("fr") as LauncherTexts;
  let browser: Browser;
  let app: Awaited<ReturnType<typeof startStandInApp>>;
  let storefront: RunningStorefront;
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await launchChromium();
    app = await startStandInApp(secret, handler);
    storefront = await startStorefront({
      appUrl: app.url,
      shop: "stand-in.myshopify.com",
      apiSecret: secret,
      locale: "fr",
      program: { enabled: true, currencyCode: "EUR", earn: { pointsPerCurrencyUnit: "0.1" } },
      productPrice: 4500,
      launcherSettings: { position: "bottom_left", button_color: "#8a1538" },
    });
  }, 60_000);

  afterAll(async () => {
    await storefront?.close();
    await app?.close();
    await browser?.close();
  });

  beforeEach(async () => {
    shopifyApi.use(mswHttp.all(/^http:\/\/127\.0\.0\.1:\d+\/proxy\//, () => passthrough()));
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "fr-FR" });
    await context.addCookies([storefront.customerCookie("42")]);
    return () => context.close();
  });

  it("speaks the shopper's language and announces a refusal", async () => {
    let redeemed: unknown = null;
    handler.current = (endpoint, body) => {
      if (endpoint === "balance") return { body: STAND_IN_BALANCE };
      if (endpoint === "rewards") return { body: STAND_IN_REWARDS };
      redeemed = body;
      return { status: 409, body: { error: { code: "belowMinimumOrder", message: "Your cart is too small." } } };
    };
    const page = await context.newPage();
    const errors = collectErrors(page);
    await watchLayoutShifts(page);
    await page.goto(storefront.url);
    await page.getByRole("button", { name: fr.launcher.open }).click();
    // French spacing: a narrow no-break space groups thousands and precedes the euro sign.
    const number = (value: number) => value.toLocaleString("fr");
    const euros = (value: number) => value.toLocaleString("fr", { style: "currency", currency: "EUR" });
    await waitForLive(page, `${number(1250)} points`);

    // Line breaks between paragraphs become spaces; the no-break spaces stay.
    const body = (await page.locator("[data-prn-body]").innerText()).replace(/[ \t\r\n]+/g, " ");
    expect(body).toContain("Membre Or");
    expect(body).toContain(`Encore ${euros(150)} d’achats pour atteindre Platine.`);
    expect(body).toContain("200 points expirent le 10 janvier 2027.");
    expect(body).toContain(`Pour les commandes de ${euros(20)} ou plus`);
    expect(body).toContain("Il vous manque 750 points");
    const bar = page.getByRole("progressbar", { name: "Progression vers Platine" });
    expect(await bar.getAttribute("aria-valuenow")).toBe("62");
    // Only the affordable reward can be redeemed.
    expect(await page.locator(".prn-launcher__reward button").count()).toBe(1);

    const redeem = page.getByRole("button", { name: "Échanger 500 points contre 5 € de réduction" });
    await redeem.click();
    await waitForLive(page, fr.launcher.errors.below_minimum_order);
    expect(redeemed).toEqual({ rewardId: "five-off" });
    // The button is back, with the focus the click gave it.
    expect(await redeem.isEnabled()).toBe(true);
    expect(await focused(page)).toMatchObject({ name: "Échanger 500 points contre 5 € de réduction", inDialog: true });
    expect(await page.locator("[data-prn-status]").getAttribute("class")).toContain("prn-launcher__error");
    await screenshot(page, "launcher-fr-refused.png");
    expect(await layoutShifts(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("offers to try again when the app fails", async () => {
    let calls = 0;
    handler.current = (endpoint) => {
      calls += 1;
      if (calls <= 2) return { status: 500, body: { error: { code: "internal", message: "boom" } } };
      return { body: endpoint === "balance" ? STAND_IN_BALANCE : STAND_IN_REWARDS };
    };
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(storefront.url);
    await page.getByRole("button", { name: fr.launcher.open }).click();
    await waitForLive(page, fr.launcher.errors.generic);
    await page.getByRole("button", { name: fr.launcher.retry }).click();
    await waitForLive(page, `${(1250).toLocaleString("fr")} points`);
    expect(await page.locator(".prn-launcher__reward").count()).toBe(2);
    expect(errors).toEqual([]);
  });
});
