// The storefront theme app extension (extensions/loyalty-theme): Shopify's theme-check finds no
// error in it, every text exists in English and French, the Rewards launcher stays within its
// 10 KB budget, and the blocks' Liquid renders what a shopper should see. The Liquid runs on
// liquidjs with stand-ins for Shopify's filters (test/helpers/storefront.ts), not on Shopify.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { launcherGzipBytes, LAUNCHER_BUDGET_BYTES } from "../../scripts/lib/launcher-size";
import {
  EXTENSION_DIR,
  readLocale,
  renderBlock,
  type LoyaltyProgramMetafield,
  type LoyaltyStatusMetafield,
  type RenderContext,
  type StorefrontCustomer,
} from "../helpers/storefront";

const program: LoyaltyProgramMetafield = {
  enabled: true,
  currencyCode: "USD",
  earn: { pointsPerCurrencyUnit: "0.1" },
  bonuses: { signUp: 100, birthday: 200, firstOrder: 50 },
  rewards: [
    {
      id: "five-off",
      name: "$5 off",
      pointsCost: 500,
      minimumOrder: "0.00",
      discount: { type: "fixedAmount", amount: "5.00" },
    },
  ],
  tiers: {
    basis: "netSpend",
    levels: [
      { id: "gold", name: "Gold", threshold: "500.00", earnMultiplier: "1.5" },
      { id: "platinum", name: "Platinum", threshold: "1000.00", earnMultiplier: "2" },
    ],
  },
};

const status: LoyaltyStatusMetafield = {
  pointsBalance: 1250,
  pendingPoints: 40,
  tier: { id: "gold", name: "Gold" },
  nextTier: { name: "Platinum", unit: "money", remaining: "150.00", progress: 0.62 },
  expiring: { points: 200, on: "2027-01-10" },
  updatedAt: "2026-11-23T10:00:00Z",
};

const ada: StorefrontCustomer = { id: "7294017323", firstName: "Ada", pointsBalance: 1250, loyaltyStatus: status };

/** The text a shopper reads: tags dropped, whitespace collapsed, entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}

function leafKeys(node: unknown, prefix = ""): string[] {
  if (typeof node !== "object" || node === null) return [prefix];
  return Object.entries(node).flatMap(([key, value]) => leafKeys(value, prefix ? `${prefix}.${key}` : key));
}

describe("theme-check", () => {
  // theme-check fetches Shopify's latest Liquid docs when it can and falls back to the copy its
  // package ships. Pointing its docs root at a folder that does not exist, and its cache at an empty
  // folder, makes every run use the shipped copy: the same answer offline, in CI and here.
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "theme-check-cache-"));
  afterAll(() => fs.rmSync(cache, { recursive: true, force: true }));

  it("finds no error in the extension", async () => {
    process.env.SHOPIFY_TLD_ROOT = path.join(cache, "no-such-docs");
    process.env.XDG_CACHE_HOME = cache;
    const { themeCheckRun, Severity } = await import("@shopify/theme-check-node");
    const run = await themeCheckRun(EXTENSION_DIR);

    // It checked the extension as one (theme app extension rules), file by file.
    expect(run.config.context).toBe("app");
    const checked = run.theme.map((file) => path.relative(EXTENSION_DIR, new URL(file.uri).pathname)).sort();
    expect(checked).toEqual(
      expect.arrayContaining([
        "blocks/earn-with-product.liquid",
        "blocks/points-balance.liquid",
        "blocks/rewards-launcher.liquid",
        "locales/en.default.json",
        "locales/fr.json",
        "snippets/loyalty-money.liquid",
      ]),
    );
    const codes = run.config.checks.map((check) => check.meta.code);
    expect(codes).toEqual(
      expect.arrayContaining(["AppBlockValidTags", "AssetSizeAppBlockJavaScript", "TranslationKeyExists"]),
    );

    const where = (offense: (typeof run.offenses)[number]) =>
      `${path.relative(EXTENSION_DIR, new URL(offense.uri).pathname)}:${offense.start.line + 1} ${offense.check}: ${offense.message}`;
    const errors = run.offenses.filter((offense) => offense.severity === Severity.ERROR).map(where);
    expect(errors).toEqual([]);
    // Warnings are not failures, but there are none today: keep it that way.
    expect(run.offenses.map(where)).toEqual([]);
  });
});

describe("locales", () => {
  it("has every storefront text in English and in French", () => {
    expect(leafKeys(readLocale("fr")).sort()).toEqual(leafKeys(readLocale("en")).sort());
  });

  it("has every theme editor label in English and in French", () => {
    expect(leafKeys(readLocale("fr", "schema")).sort()).toEqual(leafKeys(readLocale("en", "schema")).sort());
  });

  it("has no empty text", () => {
    for (const locale of ["en", "fr"] as const) {
      for (const kind of ["storefront", "schema"] as const) {
        const translations = readLocale(locale, kind);
        for (const key of leafKeys(translations)) {
          const value = key
            .split(".")
            .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], translations);
          expect(typeof value === "string" && value.trim().length > 0, `${locale} ${kind} ${key}`).toBe(true);
        }
      }
    }
  });

  it("translates every setting label the blocks' schemas name", () => {
    const schemaKeys = new Set(leafKeys(readLocale("en", "schema")));
    for (const file of fs.readdirSync(path.join(EXTENSION_DIR, "blocks"))) {
      const source = fs.readFileSync(path.join(EXTENSION_DIR, "blocks", file), "utf8");
      const keys = [...source.matchAll(/"t:([\w.]+)"/g)].map((match) => match[1]);
      expect(keys.length, file).toBeGreaterThan(0);
      for (const key of keys) expect(schemaKeys.has(key), `${file}: t:${key}`).toBe(true);
    }
  });
});

describe("the Rewards launcher's weight", () => {
  it("gzips its script and stylesheet to under 10 KB together", async () => {
    const size = await launcherGzipBytes();
    console.log(`Rewards launcher, gzip -9: JS ${size.js} B + CSS ${size.css} B = ${size.total} B`);
    expect(size.total).toBe(size.js + size.css);
    expect(size.js).toBeGreaterThan(1000);
    expect(size.total).toBeLessThan(LAUNCHER_BUDGET_BYTES);
  });

  it("has no text of its own: every text it shows is one the embed renders from the locales", async () => {
    const script = fs.readFileSync(path.join(EXTENSION_DIR, "assets/rewards-launcher.js"), "utf8");
    const html = await renderBlock("rewards-launcher", { program, customer: null });
    const config = JSON.parse(/<script type="application\/json" data-prn-config>([\s\S]*?)<\/script>/.exec(html)![1]);
    const texts = config.texts as Record<string, string>;
    const used = new Set([
      ...[...script.matchAll(/\bT\.(\w+)/g)].map((match) => match[1]),
      ...[...script.matchAll(/\bsay\("(\w+)"/g)].map((match) => match[1]),
    ]);
    used.delete("errors");
    expect(used.size).toBeGreaterThan(15);
    for (const key of used) {
      const present = key in texts || (`${key}_one` in texts && `${key}_other` in texts);
      expect(present, `texts.${key}`).toBe(true);
    }
    // Every error code of docs/loyalty-storefront-api.md the launcher can meet has its sentence; the
    // others (a bad signature, a body it never sends, a page it is not on, the customer account's
    // birthday) get the generic one, and a guest gets the log in prompt.
    const contract = fs.readFileSync(path.resolve(import.meta.dirname, "../../docs/loyalty-storefront-api.md"), "utf8");
    const table = contract.slice(contract.indexOf("## Errors"));
    // The table's second column holds the codes.
    const codeCells = table.split("\n").map((line) => line.split("|")[2] ?? "");
    const codes = codeCells.flatMap((cell) => [...cell.matchAll(/`(\w+)`/g)].map((match) => match[1]));
    expect(codes).toContain("notEnoughPoints");
    const unreachable = [
      ...["badSignature", "invalidRequest", "notLoggedIn", "birthdayAlreadySet", "methodNotAllowed"],
      ...["foreignOrigin", "bodyTooLarge", "unsupportedMediaType"],
    ];
    for (const code of codes.filter((code) => !unreachable.includes(code)))
      expect(config.texts.errors[code], `errors.${code}`).toBeTruthy();
    // The script's only string literals are markup, selectors, API paths and JSON field names.
    const literals = [...script.replace(/^\s*\/\/.*$/gm, "").matchAll(/"([^"\n]*)"/g)].map((match) => match[1]);
    for (const literal of literals.filter((literal) => literal !== "use strict"))
      expect(literal, "a sentence in the script").not.toMatch(/[A-Za-z]+ [A-Za-z]+/);
  });
});

describe("the blocks' Liquid", () => {
  const render = (name: Parameters<typeof renderBlock>[0], context: Partial<RenderContext>) =>
    renderBlock(name, { program, ...context });

  it("renders nothing without an active program", async () => {
    for (const name of ["points-balance", "earn-with-product", "rewards-launcher"] as const) {
      for (const off of [null, { ...program, enabled: false }]) {
        expect((await renderBlock(name, { program: off, customer: ada, productPrice: 5000 })).trim(), name).toBe("");
      }
    }
  });

  it("shows a signed-in shopper their balance, tier, progress and expiring points", async () => {
    const html = await render("points-balance", { customer: ada });
    expect(visibleText(html)).toBe(
      "Your rewards 1250 points Gold member Spend $150 more to reach Platinum. " +
        "40 more points are on their way. 200 points expire on January 10, 2027.",
    );
    expect(html).toMatch(/role="progressbar"/);
    expect(html).toMatch(/aria-valuenow="62"/);
    expect(html).toMatch(/aria-label="Progress to Platinum"/);
    expect(html).toMatch(/aria-valuetext="62% of the way to Platinum"/);
    expect(html).toMatch(/width: 62%/);
  });

  it("follows its settings and the metafields the app has written", async () => {
    const quiet = await render("points-balance", {
      customer: ada,
      settings: { heading: "My perks", show_tier_progress: false, show_pending: false, show_expiring: false },
    });
    expect(visibleText(quiet)).toBe("My perks 1250 points");

    // Points tiers count points; the top tier has no next one; one point is singular.
    const top = await render("points-balance", {
      customer: { id: "1", pointsBalance: 1, loyaltyStatus: { ...status, nextTier: null, expiring: null } },
    });
    expect(visibleText(top)).toBe(
      "Your rewards 1 point Gold member You have reached our top tier. 40 more points are on their way.",
    );
    const points = await render("points-balance", {
      customer: {
        id: "1",
        loyaltyStatus: {
          ...status,
          pendingPoints: 0,
          nextTier: { name: "Silver", unit: "points", remaining: "1", progress: 0.99 },
        },
      },
    });
    expect(visibleText(points)).toContain("1250 points Gold member Earn 1 more point to reach Silver.");

    // No status written yet: the balance alone, or 0.
    expect(visibleText(await render("points-balance", { customer: { id: "1", pointsBalance: 80 } }))).toBe(
      "Your rewards 80 points",
    );
    expect(visibleText(await render("points-balance", { customer: { id: "1" } }))).toBe("Your rewards 0 points");
  });

  it("escapes what the merchant typed", async () => {
    const html = await render("points-balance", {
      customer: { id: "1", pointsBalance: 5, loyaltyStatus: { ...status, tier: { id: "x", name: "<b>VIP</b> & co" } } },
      settings: { heading: "Perks <script>" },
    });
    expect(html).not.toMatch(/<b>|<script>/);
    expect(html).toContain("&lt;b&gt;VIP&lt;/b&gt; &amp; co member");
  });

  it("shows a guest the earn rate and where to sign up or log in", async () => {
    const html = await render("points-balance", { customer: null });
    expect(visibleText(html)).toBe(
      "Your rewards Earn 1 point for every $10 spent " +
        "Create an account to collect points on every order. Create an account Log in",
    );
    expect(html).toContain('href="/account/register"');
    expect(html).toContain('href="/account/login"');

    const rate = (pointsPerCurrencyUnit: string) =>
      render("points-balance", { program: { ...program, earn: { pointsPerCurrencyUnit } }, customer: null }).then(
        (out) => visibleText(out).split(" Create")[0],
      );
    expect(await rate("1")).toBe("Your rewards Earn 1 point for every $1 spent");
    expect(await rate("2")).toBe("Your rewards Earn 2 points for every $1 spent");
    expect(await rate("0.25")).toBe("Your rewards Earn 1 point for every $4 spent");
    expect(await rate("0.3")).toBe("Your rewards Earn 1 point for every $3.33 spent");

    // Shopping in another currency: the amount is the program's, with its code.
    const euros = await render("points-balance", { customer: null, cartCurrency: "EUR" });
    expect(visibleText(euros)).toContain("Earn 1 point for every 10.00 USD spent");
    // No customer accounts: no links to them.
    const noAccounts = await render("points-balance", { customer: null, customerAccountsEnabled: false });
    expect(noAccounts).not.toContain("/account/");
  });

  it("speaks French", async () => {
    const guest = await render("points-balance", { customer: null, locale: "fr" });
    expect(visibleText(guest)).toContain("Vos récompenses Gagnez 1 point pour chaque tranche de $10 dépensée");
    const member = await render("points-balance", { customer: ada, locale: "fr" });
    expect(visibleText(member)).toContain("1250 points Membre Gold");
    expect(visibleText(member)).toContain("200 points expirent le 10 janvier 2027.");
  });

  it("shows the points a product earns: floor(price × rate)", async () => {
    const earn = async (productPrice: number, context: Partial<RenderContext> = {}) =>
      visibleText(await render("earn-with-product", { customer: ada, productPrice, ...context }));
    expect(await earn(2599)).toBe("Earn 2 points with this purchase");
    expect(await earn(1990)).toBe("Earn 1 point with this purchase");
    expect(await earn(999)).toBe("");
    // 100.00 × 0.29 is 28.999999999999996 in binary floating point: still 29 points.
    expect(await earn(10_000, { program: { ...program, earn: { pointsPerCurrencyUnit: "0.29" } } })).toBe(
      "Earn 29 points with this purchase",
    );
    expect(await earn(1050, { program: { ...program, earn: { pointsPerCurrencyUnit: "1.5" } } })).toBe(
      "Earn 15 points with this purchase",
    );
    // A price in another currency cannot be converted in Liquid: no claim rather than a wrong one.
    expect(await earn(2599, { cartCurrency: "EUR" })).toBe("");
    // Guests are asked to log in to collect them.
    const guest = await render("earn-with-product", { customer: null, productPrice: 2599 });
    expect(visibleText(guest)).toBe("Earn 2 points with this purchase Log in to collect them");
    expect(guest).toContain('href="/account/login"');
    expect(await earn(2599, { locale: "fr" })).toBe("Gagnez 2 points avec cet achat");
  });

  it("renders the launcher's texts from the locales into its config", async () => {
    for (const locale of ["en", "fr"] as const) {
      const html = await render("rewards-launcher", { customer: ada, locale });
      const config = JSON.parse(/data-prn-config>([\s\S]*?)<\/script>/.exec(html)![1]);
      expect(config.locale).toBe(locale);
      expect(config.api).toBe("/apps/loyalty");
      expect(config.loginUrl).toBe("/account/login");
      expect(config.registerUrl).toBe("/account/register");
      for (const [key, value] of Object.entries(config.texts)) {
        if (key !== "errors") expect(value, key).toMatch(/\S/);
      }
      expect(config.texts.points_other).toBe(locale === "en" ? "{points} points" : "{points} points");
      expect(config.texts.redeem).toBe(locale === "en" ? "Redeem" : "Échanger");
      expect(html).toContain('aria-controls="prn-launcher-panel"');
      expect(html).toContain('<dialog id="prn-launcher-panel"');
    }
    const custom = await render("rewards-launcher", {
      customer: null,
      settings: { label: "Perks", position: "bottom_left", offset: 40, button_color: "#000000" },
    });
    expect(custom).toContain("prn-launcher--bottom_left");
    expect(custom).toContain("--prn-offset: 40px");
    expect(custom).toContain("--prn-bg: #000000");
    expect(visibleText(custom)).toMatch(/^Perks /);
  });
});
