// The customer account extension (extensions/loyalty-account) without Shopify: its API client and
// formatting against fakes, its locales (same keys, same placeholders, every key the page uses),
// its own type check (Preact JSX with Shopify's web components) and a bundle made the way the
// Shopify CLI makes it (esbuild, jsx from the extension's tsconfig), within Shopify's 64 KB.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import type * as Esbuild from "esbuild";
import { describe, expect, it } from "vitest";

import {
  afterRedemption,
  appendHistory,
  createLoyaltyClient,
  LoyaltyApiError,
  normalizeAppUrl,
  resolveAppUrl,
  type Balance,
  type HistoryEntry,
  type Reward,
} from "../../extensions/loyalty-account/src/api";
import { buildTimeAppUrl } from "../../extensions/loyalty-account/src/config";
import {
  birthdayValue,
  daysInMonth,
  describeEarnRate,
  describeEntry,
  describeNextTier,
  describeReward,
  errorKey,
  formatBirthday,
  formatDate,
  formatMoney,
  HISTORY_KINDS,
  monthNames,
  progressPercent,
  type Translate,
} from "../../extensions/loyalty-account/src/format";

const ROOT = path.resolve(import.meta.dirname, "../..");
const EXTENSION = path.join(ROOT, "extensions/loyalty-account");
const APP = "https://perennial.example.com";

type Messages = { [key: string]: string | Messages };
const readLocale = (file: string) =>
  JSON.parse(fs.readFileSync(path.join(EXTENSION, "locales", file), "utf8")) as Messages;
const EN = readLocale("en.default.json");
const FR = readLocale("fr.json");
const PLURAL_FORMS = new Set(["zero", "one", "two", "few", "many", "other"]);
const isPlural = (node: Messages) => Object.keys(node).every((key) => PLURAL_FORMS.has(key)) && "other" in node;

// shopify.i18n.translate as Shopify documents it: dotted keys, {{ name }} replacements, and a
// `count` that picks the plural form. Unknown keys and missing replacements fail the test.
function translator(messages: Messages, locale: string): Translate {
  const plurals = new Intl.PluralRules(locale);
  return (key, replacements = {}) => {
    let node: string | Messages | undefined = messages;
    for (const part of key.split(".")) node = typeof node === "object" ? node[part] : undefined;
    if (node && typeof node === "object" && isPlural(node)) {
      if (!("count" in replacements)) throw new Error(`${key} needs a count`);
      node = node[plurals.select(Number(replacements.count))] ?? node.other;
    }
    if (typeof node !== "string") throw new Error(`no translation for ${key}`);
    return node.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
      if (!(name in replacements)) throw new Error(`${key} needs {{${name}}}`);
      return String(replacements[name]);
    });
  };
}

const en = translator(EN, "en");
const fr = translator(FR, "fr");

// --- The API client ------------------------------------------------------------------------

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

function fakeFetch(answer: (sent: Sent) => Response) {
  const sent: Sent[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const request = {
      url: String(input),
      method: init?.method ?? "GET",
      headers: init?.headers as Record<string, string>,
    };
    const entry = { ...request, body: init?.body ? JSON.parse(String(init.body)) : undefined };
    sent.push(entry);
    return answer(entry);
  };
  return { sent, fetch: fetch as typeof globalThis.fetch };
}

const BALANCE: Balance = {
  shopper: { customerId: "7294017323", firstName: "Ada" },
  currencyCode: "USD",
  pointsBalance: 1250,
  pendingPoints: 40,
  tier: { id: "gold", name: "Gold", earnMultiplier: "1.5" },
  nextTier: { id: "platinum", name: "Platinum", unit: "money", remaining: "150.00", progress: 0.62 },
  expiring: { points: 200, on: "2027-01-10T00:00:00.000Z" },
  earn: { pointsPerCurrencyUnit: "0.1" },
  birthday: null,
};

const REWARD: Reward = {
  id: "five-off",
  name: "$5 off",
  pointsCost: 500,
  minimumOrder: "0.00",
  discount: { type: "fixedAmount", amount: "5.00" },
  affordable: true,
};

describe("the extension's API client", () => {
  it("calls {app}/api/loyalty/* with a fresh session token for every request", async () => {
    let tokens = 0;
    const { sent, fetch } = fakeFetch((request) =>
      Response.json(
        request.url.endsWith("/balance") ? { ...BALANCE, birthday: undefined } : { entries: [], nextCursor: null },
      ),
    );
    const client = createLoyaltyClient({ appUrl: `${APP}/`, getToken: async () => `token-${++tokens}`, fetch });
    const balance = await client.balance();
    expect(balance.birthday).toBeNull();
    expect(balance.pointsBalance).toBe(1250);
    await client.history("c1/2");
    await client.history(null);
    expect(sent.map((request) => [request.method, request.url, request.headers.Authorization])).toEqual([
      ["GET", `${APP}/api/loyalty/balance`, "Bearer token-1"],
      ["GET", `${APP}/api/loyalty/history?cursor=c1%2F2`, "Bearer token-2"],
      ["GET", `${APP}/api/loyalty/history`, "Bearer token-3"],
    ]);
  });

  it("POSTs JSON to redeem and to save the birthday", async () => {
    const { sent, fetch } = fakeFetch((request) =>
      Response.json(
        request.url.endsWith("/redeem")
          ? {
              redemptionId: "r1",
              code: "PRN-7KQ2-M9XD",
              reward: { id: "five-off", name: "$5 off" },
              pointsBalance: 750,
            }
          : { birthday: "04-23" },
      ),
    );
    const client = createLoyaltyClient({ appUrl: APP, getToken: async () => "t", fetch });
    await expect(client.redeem("five-off")).resolves.toMatchObject({ code: "PRN-7KQ2-M9XD", pointsBalance: 750 });
    await expect(client.saveBirthday("04-23")).resolves.toEqual({ birthday: "04-23" });
    expect(sent.map(({ method, url, headers, body }) => [method, url, headers["Content-Type"], body])).toEqual([
      ["POST", `${APP}/api/loyalty/redeem`, "application/json", { rewardId: "five-off" }],
      ["POST", `${APP}/api/loyalty/birthday`, "application/json", { birthday: "04-23" }],
    ]);
  });

  it("turns the API's errors, a dropped connection and a missing app URL into LoyaltyApiError", async () => {
    const refusing = createLoyaltyClient({
      appUrl: APP,
      getToken: async () => "t",
      fetch: fakeFetch(() =>
        Response.json(
          { error: { code: "rateLimited", message: "Too many requests." } },
          { status: 429, headers: { "Retry-After": "12" } },
        ),
      ).fetch,
    });
    const refused = await refusing.rewards().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LoyaltyApiError);
    expect(refused).toMatchObject({ status: 429, code: "rateLimited", message: "Too many requests.", retryAfter: 12 });

    const broken = createLoyaltyClient({
      appUrl: APP,
      getToken: async () => "t",
      fetch: fakeFetch(() => new Response("<html>Bad gateway</html>", { status: 502 })).fetch,
    });
    await expect(broken.balance()).rejects.toMatchObject({ status: 502, code: "unknown" });

    const offline = createLoyaltyClient({
      appUrl: APP,
      getToken: async () => "t",
      fetch: async () => {
        throw new TypeError("Failed to fetch");
      },
    });
    await expect(offline.balance()).rejects.toMatchObject({ status: 0, code: "network" });

    const tokenless = createLoyaltyClient({
      appUrl: APP,
      getToken: async () => {
        throw new Error("no token");
      },
      fetch: fakeFetch(() => Response.json({})).fetch,
    });
    await expect(tokenless.balance()).rejects.toMatchObject({ code: "network" });

    const unconfigured = createLoyaltyClient({ appUrl: null, getToken: async () => "t" });
    await expect(unconfigured.balance()).rejects.toMatchObject({ code: "notConfigured" });
  });

  it("finds the app from the build's URL, or the tunnel serving the script while developing", () => {
    expect(normalizeAppUrl(" https://perennial.example.com/ ")).toBe(APP);
    expect(normalizeAppUrl("https://example.com/perennial//")).toBe("https://example.com/perennial");
    expect(normalizeAppUrl("javascript:alert(1)")).toBeNull();
    expect(normalizeAppUrl("")).toBeNull();
    expect(resolveAppUrl(APP, "https://extensions.shopifycdn.com/a/b.js")).toBe(APP);
    expect(resolveAppUrl(undefined, "https://cat-dog.trycloudflare.com/extensions/1/assets/x.js")).toBe(
      "https://cat-dog.trycloudflare.com",
    );
    expect(resolveAppUrl(null, "https://extensions.shopifycdn.com/a/b.js")).toBeNull();
    expect(resolveAppUrl(null, "https://cdn.shopify.com/a/b.js")).toBeNull();
    expect(resolveAppUrl(null, null)).toBeNull();
    // Outside the Shopify CLI's bundle `process.env.PERENNIAL_APP_URL` is whatever Node has.
    expect(buildTimeAppUrl()).toBe(process.env.PERENNIAL_APP_URL ?? null);
  });

  it("adds the next history page without repeating entries, and updates the page after a redemption", () => {
    const entry = (id: string): HistoryEntry => ({
      id,
      kind: "earn",
      points: 1,
      pendingPoints: 0,
      occurredAt: "2026-01-01T00:00:00.000Z",
      orderName: null,
      reason: null,
    });
    const merged = appendHistory(
      { entries: [entry("c3"), entry("c2")], nextCursor: "c2" },
      { entries: [entry("c2"), entry("c1")], nextCursor: null },
    );
    expect(merged).toEqual({ entries: [entry("c3"), entry("c2"), entry("c1")], nextCursor: null });

    const after = afterRedemption(
      BALANCE,
      { pointsBalance: 1250, rewards: [REWARD, { ...REWARD, id: "ten-off", pointsCost: 1000 }] },
      { redemptionId: "r", code: "PRN-AAAA-BBBB", reward: { id: "five-off", name: "$5 off" }, pointsBalance: 750 },
    );
    expect(after.balance.pointsBalance).toBe(750);
    expect(after.rewards.rewards.map((reward) => reward.affordable)).toEqual([true, false]);
  });
});

// --- Formatting ----------------------------------------------------------------------------

describe("the extension's formatting", () => {
  it("describes every kind of history entry, with the order or the store's reason", () => {
    const base: HistoryEntry = {
      id: "c1",
      kind: "earn",
      points: 120,
      pendingPoints: 0,
      occurredAt: "2026-03-04T12:00:00.000Z",
      orderName: "#1042",
      reason: null,
    };
    expect(describeEntry(base, "en", en)).toMatchObject({
      title: "Points earned",
      detail: "Order #1042",
      points: "+120",
      pending: null,
      tone: "success",
    });
    expect(describeEntry({ ...base, kind: "earn", points: 0, pendingPoints: 40 }, "en", en)).toMatchObject({
      points: null,
      pending: "+40 pending",
      tone: "success",
    });
    expect(describeEntry({ ...base, kind: "redemption", points: -1500, orderName: null }, "en-US", en)).toMatchObject({
      title: "Redeemed for a reward",
      detail: null,
      points: "-1,500",
      tone: "critical",
    });
    expect(
      describeEntry({ ...base, kind: "adjustment", orderName: null, reason: "Sorry for the delay" }, "en", en),
    ).toMatchObject({ title: "Adjusted by the store", detail: "Sorry for the delay" });
    expect(describeEntry({ ...base, kind: "somethingNew" }, "en", en).title).toBe("Points changed");
    for (const kind of HISTORY_KINDS) {
      expect(describeEntry({ ...base, kind }, "en", en).title).not.toBe("");
      expect(describeEntry({ ...base, kind }, "fr", fr).title).not.toBe("");
    }
  });

  it("describes rewards: the discount, the cost, the minimum order and what is missing", () => {
    expect(describeReward(REWARD, 1250, "USD", "en-US", en)).toEqual({
      id: "five-off",
      name: "$5 off",
      cost: "500 points",
      discount: "$5.00 off your order",
      minimum: null,
      affordable: true,
      shortfall: null,
    });
    const shipping: Reward = {
      ...REWARD,
      id: "ship",
      pointsCost: 1251,
      minimumOrder: "30.00",
      discount: { type: "freeShipping" },
    };
    expect(describeReward(shipping, 1250, "USD", "en-US", en)).toMatchObject({
      cost: "1,251 points",
      discount: "Free shipping",
      minimum: "On orders of $30.00 or more",
      affordable: false,
      shortfall: "1 more point needed",
    });
    const percent: Reward = { ...REWARD, discount: { type: "percentage", percent: 10 } };
    expect(describeReward(percent, 0, "EUR", "fr-FR", fr)).toMatchObject({
      discount: "10 % de réduction sur votre commande",
      shortfall: "Encore 500 points nécessaires",
      affordable: false,
    });
  });

  it("says how far the next tier is, in money or in points, and how points are earned", () => {
    expect(describeNextTier(BALANCE.nextTier!, "USD", "en-US", en)).toBe("Spend $150.00 more to reach Platinum.");
    expect(
      describeNextTier({ id: "gold", name: "Gold", unit: "points", remaining: "1", progress: 0.99 }, "USD", "en", en),
    ).toBe("Earn 1 more point to reach Gold.");
    expect(
      describeNextTier({ id: "gold", name: "Or", unit: "points", remaining: "2500", progress: 0.2 }, "EUR", "fr", fr),
    ).toBe("Gagnez encore 2\u202f500 points pour atteindre Or.");
    expect(progressPercent(0.62)).toBe(62);
    expect(progressPercent(1.7)).toBe(100);
    expect(progressPercent(Number.NaN)).toBe(0);
    expect(describeEarnRate("0.1", "USD", "en-US", en)).toBe("You earn 1 point for every $10.00 you spend.");
    expect(describeEarnRate("2", "USD", "en-US", en)).toBe("You earn 2 points for every $1.00 you spend.");
    expect(describeEarnRate("0", "USD", "en-US", en)).toBeNull();
  });

  it("formats money and dates in the shopper's language", () => {
    expect(formatMoney("1234.5", "EUR", "fr-FR")).toBe("1\u202f234,50\u00a0€");
    expect(formatMoney("5.00", "XYZ1", "en-US")).toBe("5.00 XYZ1");
    expect(formatDate("2027-01-10T00:00:00.000Z", "en-US", "UTC")).toBe("Jan 10, 2027");
    expect(formatBirthday("04-23", "en-US")).toBe("April 23");
    expect(formatBirthday("02-29", "fr-FR")).toBe("29 février");
  });

  it("builds the birthday the API takes from a month and a day that exist", () => {
    expect(birthdayValue(4, 23)).toBe("04-23");
    expect(birthdayValue(2, 29)).toBe("02-29");
    expect(birthdayValue(2, 30)).toBeNull();
    expect(birthdayValue(13, 1)).toBeNull();
    expect(birthdayValue(0, 1)).toBeNull();
    expect(birthdayValue(Number.NaN, 1)).toBeNull();
    expect(daysInMonth(4)).toBe(30);
    expect(monthNames("fr")[0]).toBe("janvier");
    expect(monthNames("en")).toHaveLength(12);
  });

  it("explains every error code the API documents, and falls back for others", () => {
    for (const code of [
      "invalidRequest",
      "badSignature",
      "notLoggedIn",
      "programOff",
      "rateLimited",
      "discountFailed",
      "notEnoughPoints",
      "belowMinimumOrder",
      "rewardAlreadyOnOrder",
      "unknownReward",
      "excluded",
      "redemptionClosed",
      "birthdayAlreadySet",
      "network",
      "notConfigured",
    ]) {
      expect(errorKey(code)).toBe(`errors.${code}`);
      expect(en(errorKey(code))).not.toBe("");
      expect(fr(errorKey(code))).not.toBe("");
    }
    expect(errorKey("somethingElse")).toBe("errors.generic");
  });
});

// --- Locales -------------------------------------------------------------------------------

function leaves(messages: Messages, prefix = ""): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(messages)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") found.set(name, value);
    else for (const [leaf, text] of leaves(value, name)) found.set(leaf, text);
  }
  return found;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]).sort();

describe("the extension's locales", () => {
  it("have the same keys and placeholders in English and French", () => {
    const english = leaves(EN);
    const french = leaves(FR);
    expect([...french.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, text] of english)
      expect({ key, placeholders: placeholders(french.get(key)!) }).toEqual({ key, placeholders: placeholders(text) });
  });

  it("have every key the page uses", () => {
    const source = ["index.tsx", "format.ts"]
      .map((file) => fs.readFileSync(path.join(EXTENSION, "src", file), "utf8"))
      .join("\n");
    const used = new Set([...source.matchAll(/\bt\(\s*"([\w.]+)"/g)].map((match) => match[1]));
    expect(used.size).toBeGreaterThan(30);
    const top = new Set(Object.keys(EN));
    for (const key of used) {
      let node: string | Messages | undefined = EN;
      for (const part of key.split(".")) node = typeof node === "object" ? node[part] : undefined;
      expect({ key, found: node !== undefined && top.has(key.split(".")[0]) }).toEqual({ key, found: true });
    }
  });
});

// --- Type check and bundle -----------------------------------------------------------------

describe("the extension's build", () => {
  it("type-checks with its own tsconfig (Preact and Shopify's web components)", () => {
    const tsc = path.join(ROOT, "node_modules/typescript/bin/tsc");
    let output = "";
    try {
      output = execFileSync(process.execPath, [tsc, "-p", path.join(EXTENSION, "tsconfig.json")], {
        encoding: "utf8",
        stdio: "pipe",
      });
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string };
      throw new Error(`tsc failed:\n${failed.stdout ?? ""}${failed.stderr ?? ""}`);
    }
    expect(output).toBe("");
  }, 120_000);

  it("bundles with esbuild as the Shopify CLI does, with Preact, under 64 KB", async () => {
    // esbuild as vite depends on it; the Shopify CLI bundles extensions with esbuild too.
    const require = createRequire(createRequire(import.meta.url).resolve("vite"));
    const esbuild = require("esbuild") as typeof Esbuild;
    const result = await esbuild.build({
      entryPoints: [path.join(EXTENSION, "src/index.tsx")],
      absWorkingDir: EXTENSION,
      bundle: true,
      write: false,
      minify: true,
      metafile: true,
      format: "esm",
      target: "es6",
      // Automatic JSX; the runtime (preact) comes from the extension's tsconfig, as for the CLI.
      jsx: "automatic",
      legalComments: "none",
      define: {
        "process.env.NODE_ENV": JSON.stringify("production"),
        "process.env.PERENNIAL_APP_URL": JSON.stringify(APP),
      },
      logLevel: "silent",
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles[0].text;
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.includes("node_modules/preact/"))).toBe(true);
    expect(inputs.some((input) => /node_modules\/react(-dom)?\//.test(input))).toBe(false);
    expect(code).toContain(APP);
    expect(code).not.toMatch(/^\s*import\s/m);
    expect(Buffer.byteLength(code)).toBeLessThan(64 * 1024);
  });
});
