// Redeeming through the app proxy: signed requests only, the shopper's own points only, a single-use
// code from Shopify (faked with MSW in the documented shapes), points back when Shopify refuses or
// times out, and fifty concurrent redemptions that never spend more than the balance.
import { createHmac } from "node:crypto";

import { delay } from "msw";
import { afterAll, afterEach, describe, expect, it } from "vitest";

import prisma from "~/db.server";
import type { LoyaltySettingsInput } from "~/core/loyalty";
import { action as redeemAction, loader as redeemLoader } from "~/routes/proxy.redeem";
import { loader as balanceLoader } from "~/routes/proxy.balance";
import { loader as historyLoader } from "~/routes/proxy.history";
import { loader as rewardsLoader } from "~/routes/proxy.rewards";
import { overrideConfig } from "~/platform/env.server";
import { stopJobQueue } from "~/platform/jobs.server";
import { adjustMemberPoints } from "~/loyalty/members.server";
import { writeMemberMetafields, writeProgramMetafield } from "~/loyalty/metafields.server";
import { saveLoyaltyProgram } from "~/loyalty/program.server";
import { redeemForCustomer } from "~/loyalty/redemptions.server";
import { ensureShop } from "~/sync/shops.server";

import { adminApi, HttpResponse, queryCost, shopifyApi, throttledAnswer } from "../helpers/admin-api";
import { proxyRequest } from "../helpers/app-proxy";
import { deliver } from "../helpers/deliver";
import { orderPayload } from "../helpers/orders";
import { apiSecret, routeArgs, storeOfflineSession, uniqueShop } from "../helpers/shopify";

afterAll(() => stopJobQueue());
afterEach(() => shopifyApi.resetHandlers());

const CUSTOMER = 115310627314723954n;

const PROGRAM: LoyaltySettingsInput = {
  earnRate: "1",
  rewards: [
    { id: "five-off", name: "$5 off", pointsCost: 100, discount: { type: "fixedAmount", amount: "5.00" } },
    {
      id: "ship",
      name: "Free shipping",
      pointsCost: 50,
      minimumOrder: "30.00",
      discount: { type: "freeShipping" },
    },
  ],
  tiers: {
    basis: "pointsEarned",
    window: "lifetime",
    review: "never",
    levels: [
      { id: "silver", name: "Silver", threshold: "0" },
      { id: "gold", name: "Gold", threshold: "1000", earnMultiplier: "1.5" },
    ],
  },
};

async function memberWithPoints(label: string, points: number) {
  const shop = uniqueShop(label);
  const row = await ensureShop(shop);
  await storeOfflineSession(shop);
  await saveLoyaltyProgram(shop, { enabled: true, settings: PROGRAM }, "staff 1", new Date("2025-01-01"));
  await deliver({
    topic: "customers/create",
    shop,
    payload: { id: CUSTOMER, email: "ada@example.com", first_name: "Ada", updated_at: "2026-01-01T00:00:00Z" },
  });
  const customer = await prisma.customer.findUniqueOrThrow({
    where: { shopId_shopifyId: { shopId: row.id, shopifyId: CUSTOMER } },
  });
  if (points) await adjustMemberPoints(shop, customer.id, { points, reason: "Welcome gift" }, "staff 1");
  return { shop, shopId: row.id, customerId: customer.id };
}

const balanceOf = async (customerId: string) =>
  (await prisma.loyaltyAccount.findUniqueOrThrow({ where: { customerId } })).pointsBalance;

interface DiscountVariables {
  discount: {
    code: string;
    usageLimit: number;
    context: { customers: { add: string[] } };
    customerGets?: { value: { discountAmount?: { amount: string } } };
    minimumRequirement: unknown;
  };
}

function shopifyCreates(shop: string, seen: DiscountVariables[] = []) {
  shopifyApi.use(
    adminApi(shop).mutation<object, DiscountVariables>("RewardCode", ({ variables }) => {
      seen.push(variables);
      return HttpResponse.json({
        data: {
          discountCodeBasicCreate: {
            codeDiscountNode: { id: `gid://shopify/DiscountCodeNode/${1000 + seen.length}` },
            userErrors: [],
          },
        },
      });
    }),
  );
  return seen;
}

async function json(response: Response) {
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("the app proxy's loyalty endpoints", () => {
  it("show the logged-in shopper their own balance, tier, rewards and history", async () => {
    const { shop } = await memberWithPoints("proxy-read", 120);
    const balance = await json(await balanceLoader(routeArgs(proxyRequest(shop, "balance", { customerId: CUSTOMER }))));
    expect(balance.status).toBe(200);
    // 100 sign-up points were not configured; 120 came from staff.
    expect(balance.body).toMatchObject({
      shopper: { customerId: CUSTOMER.toString(), firstName: "Ada" },
      pointsBalance: 120,
      pendingPoints: 0,
      tier: { id: "silver", name: "Silver" },
      nextTier: { id: "gold", unit: "points", remaining: "1000" },
      earn: { pointsPerCurrencyUnit: "1" },
    });
    const rewards = await json(await rewardsLoader(routeArgs(proxyRequest(shop, "rewards", { customerId: CUSTOMER }))));
    expect(rewards.body).toMatchObject({
      pointsBalance: 120,
      rewards: [
        { id: "five-off", affordable: true },
        { id: "ship", affordable: true, minimumOrder: "30.00" },
      ],
    });
    const history = await json(await historyLoader(routeArgs(proxyRequest(shop, "history", { customerId: CUSTOMER }))));
    expect(history.body).toMatchObject({
      entries: [{ kind: "adjustment", points: 120, reason: "Welcome gift" }],
      nextCursor: null,
    });
    expect(JSON.stringify(history.body)).not.toContain("staff 1");
  });

  it("answer guests, forged requests and a shop without a program with clear JSON errors", async () => {
    const { shop } = await memberWithPoints("proxy-errors", 0);
    const guest = await json(await balanceLoader(routeArgs(proxyRequest(shop, "balance"))));
    expect(guest).toMatchObject({ status: 401, body: { error: { code: "notLoggedIn" }, loginUrl: "/account/login" } });
    const forged = await json(
      await balanceLoader(routeArgs(proxyRequest(shop, "balance", { customerId: CUSTOMER, secret: "not-the-secret" }))),
    );
    expect(forged).toMatchObject({ status: 401, body: { error: { code: "badSignature" } } });
    const other = uniqueShop("no-program");
    await ensureShop(other);
    const off = await json(await balanceLoader(routeArgs(proxyRequest(other, "balance", { customerId: CUSTOMER }))));
    expect(off).toMatchObject({ status: 404, body: { error: { code: "programOff" } } });
    const get = await json(await redeemLoader());
    expect(get.status).toBe(405);
    const bad = await json(
      await redeemAction(
        routeArgs(proxyRequest(shop, "redeem", { customerId: CUSTOMER, method: "POST", body: { rewardId: 7 } })),
      ),
    );
    expect(bad).toMatchObject({ status: 400, body: { error: { code: "invalidRequest" } } });
  });

  it("refuse with 401 a query that repeats a signed parameter, as Shopify signs it (values joined with commas)", async () => {
    const { shop, customerId } = await memberWithPoints("proxy-repeated", 120);
    const seen = shopifyCreates(shop);
    // A shopper who adds logged_in_customer_id=<victim> to the storefront URL: Shopify appends its
    // own (theirs) and signs both, joined with a comma.
    const repeated = (endpoint: string, method: "GET" | "POST") => {
      const pairs: [string, string][] = [
        ["logged_in_customer_id", CUSTOMER.toString()],
        ["shop", shop],
        ["logged_in_customer_id", "115310627314723999"],
        ["path_prefix", "/apps/loyalty"],
        ["timestamp", String(Math.floor(Date.now() / 1000))],
      ];
      const joined = new Map<string, string[]>();
      for (const [key, value] of pairs) joined.set(key, [...(joined.get(key) ?? []), value]);
      const message = [...joined.keys()]
        .sort()
        .map((key) => `${key}=${joined.get(key)!.join(",")}`)
        .join("");
      const query = new URLSearchParams(pairs);
      query.append("signature", createHmac("sha256", apiSecret()).update(message).digest("hex"));
      return new Request(`${process.env.SHOPIFY_APP_URL}/proxy/${endpoint}?${query}`, {
        method,
        ...(method === "POST"
          ? { headers: { "Content-Type": "application/json" }, body: JSON.stringify({ rewardId: "five-off" }) }
          : {}),
      });
    };
    const balance = await json(await balanceLoader(routeArgs(repeated("balance", "GET"))));
    expect(balance).toMatchObject({ status: 401, body: { error: { code: "badSignature" } } });
    const redeemed = await json(await redeemAction(routeArgs(repeated("redeem", "POST"))));
    expect(redeemed).toMatchObject({ status: 401, body: { error: { code: "badSignature" } } });
    expect(seen).toHaveLength(0);
    expect(await balanceOf(customerId)).toBe(120);
    // The same request with the parameter once is answered.
    const once = await json(await balanceLoader(routeArgs(proxyRequest(shop, "balance", { customerId: CUSTOMER }))));
    expect(once.status).toBe(200);
  });

  it("redeem: only a JSON body from the store's own pages; anything else is refused, writing nothing", async () => {
    const { shop, customerId } = await memberWithPoints("proxy-csrf", 120);
    const seen = shopifyCreates(shop);
    const signed = () => proxyRequest(shop, "redeem", { customerId: CUSTOMER, method: "POST" }).url;
    const post = async (headers: Record<string, string>, body: BodyInit = JSON.stringify({ rewardId: "five-off" })) =>
      json(await redeemAction(routeArgs(new Request(signed(), { method: "POST", headers, body }))));
    const JSON_TYPE = { "Content-Type": "application/json" };
    // A page on another site can send these without a preflight: refused, Origin or not.
    expect(await post({ "Content-Type": "text/plain" })).toMatchObject({
      status: 415,
      body: { error: { code: "unsupportedMediaType" } },
    });
    expect((await post({ "Content-Type": "application/x-www-form-urlencoded" }, "rewardId=five-off")).status).toBe(415);
    expect((await post({})).status).toBe(415);
    const foreign: Record<string, string>[] = [
      { "Sec-Fetch-Site": "cross-site", Origin: "https://evil.example" },
      { "Sec-Fetch-Site": "same-site", Origin: `https://blog.${shop}` },
      { "Sec-Fetch-Site": "cross-site" },
      { Origin: "https://evil.example" },
      { Origin: `https://${shop}.evil.example` },
    ];
    for (const headers of foreign) {
      const refused = await post({ ...JSON_TYPE, ...headers });
      expect(refused, JSON.stringify(headers)).toMatchObject({
        status: 403,
        body: { error: { code: "foreignOrigin" } },
      });
    }
    expect(
      await post({ ...JSON_TYPE, "Content-Length": "5000" }, JSON.stringify({ rewardId: "x".repeat(4990) })),
    ).toMatchObject({ status: 413, body: { error: { code: "bodyTooLarge" } } });
    expect(seen).toHaveLength(0);
    expect(await balanceOf(customerId)).toBe(120);
    // The storefront's own page (any domain: the browser says same-origin), the myshopify.com
    // origin of an older browser, and a request no page sent.
    const own: Record<string, string>[] = [
      { "Sec-Fetch-Site": "same-origin", Origin: "https://www.brand.example" },
      { Origin: `https://${shop}` },
      {},
    ];
    for (const headers of own) {
      const redeemed = await post(
        { ...JSON_TYPE, ...headers },
        JSON.stringify({ rewardId: "five-off", cartSubtotal: 0 }),
      );
      expect(redeemed.status, JSON.stringify(headers)).not.toBe(403);
      expect(redeemed.status, JSON.stringify(headers)).toBeLessThan(415);
    }
  });

  it("redeem: take the points, create a single-use code for this customer only", async () => {
    const { shop, customerId } = await memberWithPoints("redeem", 120);
    const seen = shopifyCreates(shop);
    const redeemed = await json(
      await redeemAction(
        routeArgs(
          proxyRequest(shop, "redeem", { customerId: CUSTOMER, method: "POST", body: { rewardId: "five-off" } }),
        ),
      ),
    );
    expect(redeemed).toMatchObject({ status: 200, body: { reward: { id: "five-off" }, pointsBalance: 20 } });
    const code = redeemed.body.code as string;
    expect(code).toMatch(/^PRN-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(seen).toHaveLength(1);
    expect(seen[0].discount).toMatchObject({
      code,
      usageLimit: 1,
      context: { customers: { add: [`gid://shopify/Customer/${CUSTOMER}`] } },
      customerGets: { value: { discountAmount: { amount: "5.00" } } },
      minimumRequirement: null,
    });
    expect(await balanceOf(customerId)).toBe(20);
    expect(await prisma.redemption.findFirst({ where: { code } })).toMatchObject({ status: "issued" });

    const tooFew = await json(
      await redeemAction(
        routeArgs(
          proxyRequest(shop, "redeem", { customerId: CUSTOMER, method: "POST", body: { rewardId: "five-off" } }),
        ),
      ),
    );
    expect(tooFew).toMatchObject({ status: 409, body: { error: { code: "notEnoughPoints" } } });
  });

  it("give the points back when Shopify refuses the code, or times out and has no such code", async () => {
    const { shop, customerId } = await memberWithPoints("refused", 120);
    shopifyApi.use(
      adminApi(shop).mutation("RewardCode", () =>
        HttpResponse.json({
          data: {
            discountCodeBasicCreate: {
              codeDiscountNode: null,
              userErrors: [{ field: ["basicCodeDiscount", "code"], code: "TAKEN", message: "Code must be unique." }],
            },
          },
        }),
      ),
    );
    const refused = await redeemForCustomer(shop, CUSTOMER, { rewardId: "five-off" });
    expect(refused).toMatchObject({ ok: false, status: 502, code: "discountFailed" });
    expect(await balanceOf(customerId)).toBe(120);

    shopifyApi.resetHandlers();
    const restoreConfig = overrideConfig({ PERENNIAL_DISCOUNT_TIMEOUT_MS: 200 });
    try {
      shopifyApi.use(
        adminApi(shop).mutation("RewardCode", async () => {
          await delay(1_000);
          return HttpResponse.json({ data: { discountCodeBasicCreate: { codeDiscountNode: null, userErrors: [] } } });
        }),
        adminApi(shop).query("RewardCodeByCode", () => HttpResponse.json({ data: { codeDiscountNodeByCode: null } })),
      );
      const timedOut = await redeemForCustomer(shop, CUSTOMER, { rewardId: "five-off" });
      expect(timedOut).toMatchObject({ ok: false, code: "discountFailed" });
      expect(await balanceOf(customerId)).toBe(120);

      // Timed out, but the code exists after all: the shopper keeps the code, the points stay spent.
      shopifyApi.resetHandlers();
      shopifyApi.use(
        adminApi(shop).mutation("RewardCode", async () => {
          await delay(1_000);
          return HttpResponse.json({ data: {} });
        }),
        adminApi(shop).query("RewardCodeByCode", () =>
          HttpResponse.json({ data: { codeDiscountNodeByCode: { id: "gid://shopify/DiscountCodeNode/77" } } }),
        ),
      );
      const lateButMade = await redeemForCustomer(shop, CUSTOMER, { rewardId: "five-off" });
      expect(lateButMade).toMatchObject({ ok: true, pointsBalance: 20 });
    } finally {
      restoreConfig();
    }
    const kinds = await prisma.ledgerEntry.findMany({ where: { customerId }, orderBy: { createdAt: "asc" } });
    expect(kinds.map((entry) => entry.kind)).toEqual([
      "adjustment",
      "redemption",
      "redemptionRefund",
      "redemption",
      "redemptionRefund",
      "redemption",
    ]);
  });

  it("give the points back as codeCreationFailed when Shopify answers a GraphQL error, without a lookup", async () => {
    const { shop, customerId } = await memberWithPoints("graphql-error", 120);
    let lookups = 0;
    shopifyApi.use(
      adminApi(shop).mutation("RewardCode", () =>
        HttpResponse.json({
          errors: [
            {
              message: "Variable $discount of type DiscountCodeBasicInput! was provided invalid value",
              extensions: { code: "INVALID_VARIABLE" },
            },
          ],
        }),
      ),
      adminApi(shop).query("RewardCodeByCode", () => {
        lookups += 1;
        return HttpResponse.json({ data: { codeDiscountNodeByCode: null } });
      }),
    );
    const refused = await redeemForCustomer(shop, CUSTOMER, { rewardId: "five-off" });
    expect(refused).toMatchObject({ ok: false, status: 502, code: "discountFailed" });
    expect(await balanceOf(customerId)).toBe(120);
    expect(lookups).toBe(0);
    const refund = await prisma.ledgerEntry.findFirstOrThrow({ where: { customerId, kind: "redemptionRefund" } });
    expect(refund.reason).toBe("codeCreationFailed");
  });

  it("look the code up when Shopify answers GraphQL errors beside a partial answer", async () => {
    const { shop, customerId } = await memberWithPoints("graphql-partial", 120);
    shopifyApi.use(
      adminApi(shop).mutation("RewardCode", () =>
        HttpResponse.json({
          data: { discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/78" } } },
          errors: [{ message: "Internal error", path: ["discountCodeBasicCreate", "userErrors"] }],
        }),
      ),
      adminApi(shop).query("RewardCodeByCode", () =>
        HttpResponse.json({ data: { codeDiscountNodeByCode: { id: "gid://shopify/DiscountCodeNode/78" } } }),
      ),
    );
    expect(await redeemForCustomer(shop, CUSTOMER, { rewardId: "five-off" })).toMatchObject({ ok: true });
    expect(await balanceOf(customerId)).toBe(20);
  });

  it("return a reward's points when the order that used its code is cancelled", async () => {
    const { shop, customerId } = await memberWithPoints("cancel-reward", 120);
    shopifyCreates(shop);
    const redeemed = await redeemForCustomer(shop, CUSTOMER, { rewardId: "five-off" });
    if (!redeemed.ok) throw new Error(redeemed.message);
    const order = {
      id: 450789469n,
      updatedAt: "2026-03-01T10:00:00Z",
      processedAt: "2026-03-01T09:00:00Z",
      customer: { id: CUSTOMER },
      subtotalCents: 2_000,
      discountCodes: [redeemed.code],
    };
    await deliver({ topic: "orders/create", shop, payload: orderPayload(order) });
    // 20 left after the reward, plus $20 at 1 point per dollar.
    expect(await balanceOf(customerId)).toBe(40);
    await deliver({
      topic: "orders/cancelled",
      shop,
      payload: orderPayload({ ...order, updatedAt: "2026-03-02T10:00:00Z", cancelledAt: "2026-03-02T10:00:00Z" }),
    });
    // The order's 20 points reversed, the reward's 100 returned.
    expect(await balanceOf(customerId)).toBe(120);
  });

  it("never spend more than the balance under fifty concurrent redemptions", async () => {
    const { shop, customerId } = await memberWithPoints("concurrent", 1_000);
    const seen = shopifyCreates(shop);
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () => redeemForCustomer(shop, CUSTOMER, { rewardId: "five-off" })),
    );
    const succeeded = outcomes.filter((outcome) => outcome.ok);
    expect(succeeded).toHaveLength(10);
    expect(outcomes.filter((outcome) => !outcome.ok && outcome.code === "notEnoughPoints")).toHaveLength(40);
    expect(seen).toHaveLength(10);
    expect(new Set(succeeded.map((outcome) => outcome.ok && outcome.code)).size).toBe(10);
    expect(await balanceOf(customerId)).toBe(0);
    const sum = await prisma.ledgerEntry.aggregate({ where: { customerId }, _sum: { points: true } });
    expect(sum._sum.points).toBe(0);
  });

  it("rate-limit redemptions per shopper", async () => {
    const { shop } = await memberWithPoints("rate", 0);
    const statuses = [];
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const response = await redeemAction(
        routeArgs(
          proxyRequest(shop, "redeem", { customerId: CUSTOMER, method: "POST", body: { rewardId: "five-off" } }),
        ),
      );
      statuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers.get("Retry-After"))).toBeGreaterThan(0);
    }
    expect(statuses.slice(0, 10).every((status) => status === 409)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it("take the rate limit from the configuration at each request", async () => {
    const { shop } = await memberWithPoints("rate-configured", 0);
    const restoreConfig = overrideConfig({ PERENNIAL_PROXY_REDEEMS_PER_MINUTE: 2 });
    try {
      const statuses = [];
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const request = proxyRequest(shop, "redeem", {
          customerId: CUSTOMER,
          method: "POST",
          body: { rewardId: "five-off" },
        });
        statuses.push((await redeemAction(routeArgs(request))).status);
      }
      expect(statuses).toEqual([409, 409, 429]);
    } finally {
      restoreConfig();
    }
  });
});

describe("the storefront metafields", () => {
  it("write changed balances in batches and wait when Shopify's cost bucket runs low", async () => {
    const { shop, customerId } = await memberWithPoints("metafields", 120);
    const calls: { metafields: { ownerId: string; key: string; value: string; namespace: string }[] }[] = [];
    shopifyApi.use(
      adminApi(shop).mutation<object, (typeof calls)[number]>("SetLoyaltyMetafields", ({ variables }) => {
        calls.push(variables);
        return HttpResponse.json({
          data: {
            metafieldsSet: { metafields: variables.metafields.map((_m, i) => ({ id: `m${i}` })), userErrors: [] },
          },
          extensions: queryCost(10, 10, 5),
        });
      }),
    );
    const waits: number[] = [];
    const written = await writeMemberMetafields(shop, { sleep: async (ms) => void waits.push(ms) });
    expect(written).toBe(1);
    expect(calls[0].metafields).toEqual([
      expect.objectContaining({
        ownerId: `gid://shopify/Customer/${CUSTOMER}`,
        namespace: "$app",
        key: "points_balance",
        value: "120",
      }),
      expect.objectContaining({ key: "loyalty_status", namespace: "$app" }),
    ]);
    expect(JSON.parse(calls[0].metafields[1].value)).toMatchObject({ pointsBalance: 120, tier: { name: "Silver" } });
    // 5 of the 10 points needed, restoring 100 a second: 50 ms.
    expect(waits).toEqual([50]);
    // Written: nothing is due until the balance changes again.
    expect(await writeMemberMetafields(shop, { sleep: async () => {} })).toBe(0);
    await adjustMemberPoints(shop, customerId, { points: 5, reason: "Review" }, "staff 1");
    expect(await writeMemberMetafields(shop, { sleep: async () => {} })).toBe(1);
    expect(calls.at(-1)?.metafields[0].value).toBe("125");
  });
});

describe("the storefront metafields under Shopify's throttle", () => {
  it("wait out a THROTTLED answer and write on the retry", async () => {
    const { shop } = await memberWithPoints("metafields-throttled", 120);
    let calls = 0;
    shopifyApi.use(
      adminApi(shop).mutation<object, { metafields: unknown[] }>("SetLoyaltyMetafields", ({ variables }) => {
        calls += 1;
        if (calls === 1) return throttledAnswer(10, 2);
        return HttpResponse.json({
          data: {
            metafieldsSet: { metafields: variables.metafields.map((_m, i) => ({ id: `m${i}` })), userErrors: [] },
          },
        });
      }),
    );
    const waits: number[] = [];
    expect(await writeMemberMetafields(shop, { sleep: async (ms) => void waits.push(ms) })).toBe(1);
    expect(calls).toBe(2);
    // 8 points short, restoring 100 a second: 80 ms.
    expect(waits).toEqual([80]);
  });
});

describe("the program metafield", () => {
  it("is written on the app installation for themes, in the shape the theme extension reads", async () => {
    const { shop } = await memberWithPoints("program-metafield", 0);
    const written: {
      metafields: { ownerId: string; namespace: string; key: string; type: string; value: string }[];
    }[] = [];
    shopifyApi.use(
      adminApi(shop).query("LoyaltyAppInstallation", () =>
        HttpResponse.json({ data: { currentAppInstallation: { id: "gid://shopify/AppInstallation/42" } } }),
      ),
      adminApi(shop).mutation<object, (typeof written)[number]>("SetLoyaltyMetafields", ({ variables }) => {
        written.push(variables);
        return HttpResponse.json({ data: { metafieldsSet: { metafields: [{ id: "m1" }], userErrors: [] } } });
      }),
    );
    await writeProgramMetafield(shop);
    expect(written[0].metafields[0]).toMatchObject({
      ownerId: "gid://shopify/AppInstallation/42",
      namespace: "perennial",
      key: "program",
      type: "json",
    });
    expect(JSON.parse(written[0].metafields[0].value)).toMatchObject({
      enabled: true,
      currencyCode: "USD",
      earn: { pointsPerCurrencyUnit: "1" },
      rewards: [{ id: "five-off", pointsCost: 100 }, { id: "ship" }],
      tiers: { basis: "pointsEarned", levels: [{ id: "silver" }, { id: "gold", earnMultiplier: "1.5" }] },
    });
  });
});
