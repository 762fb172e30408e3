// The customer account door of the loyalty API (/api/loyalty/*): the customer account extension's
// session token (HS256 with the app secret, claims as Shopify documents them) says which shop and
// which customer; every answer, refusals included, carries the CORS headers the extension's origin
// needs; redeeming asks Shopify for a code (faked with MSW) and gives the points back if refused.
import { createHmac, randomUUID } from "node:crypto";

import { afterAll, afterEach, describe, expect, it } from "vitest";

import prisma from "~/db.server";
import type { LoyaltySettingsInput } from "~/core/loyalty";
import { customerFromSub, shopFromDest } from "~/loyalty/storefront/customer-account.server";
import { loader as balanceLoader } from "~/routes/api.loyalty.balance";
import { action as birthdayAction, loader as birthdayLoader } from "~/routes/api.loyalty.birthday";
import { loader as historyLoader } from "~/routes/api.loyalty.history";
import { action as redeemAction, loader as redeemLoader } from "~/routes/api.loyalty.redeem";
import { loader as rewardsLoader } from "~/routes/api.loyalty.rewards";
import { stopJobQueue } from "~/platform/jobs.server";
import { adjustMemberPoints } from "~/loyalty/members.server";
import { saveLoyaltyProgram } from "~/loyalty/program.server";
import { ensureShop } from "~/sync/shops.server";

import { adminApi, HttpResponse, shopifyApi } from "../../helpers/admin-api";
import { deliver } from "../../helpers/deliver";
import { apiKey, apiSecret, routeArgs, storeOfflineSession, uniqueShop } from "../../helpers/shopify";

afterAll(() => stopJobQueue());
afterEach(() => shopifyApi.resetHandlers());

// Beyond 2^53: a pass through a JS number would change it.
const CUSTOMER = 115310627314723954n;
const STRANGER = 115310627314723999n;
const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";

const PROGRAM: LoyaltySettingsInput = {
  earnRate: "1",
  rewards: [
    { id: "five-off", name: "$5 off", pointsCost: 100, discount: { type: "fixedAmount", amount: "5.00" } },
    { id: "big", name: "$50 off", pointsCost: 5000, discount: { type: "fixedAmount", amount: "50.00" } },
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

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

interface TokenOptions {
  shop: string;
  /** The customer, or null for a guest (no `sub`). */
  customer?: bigint | null;
  aud?: string;
  dest?: string;
  secret?: string;
  expiresIn?: number;
}

// A customer account session token as Shopify signs it: HS256 with the app's secret.
function sessionToken(options: TokenOptions): string {
  const now = Math.floor(Date.now() / 1000);
  const customer = options.customer === undefined ? CUSTOMER : options.customer;
  const payload = {
    iss: `https://${options.shop}/admin`,
    dest: options.dest ?? options.shop,
    aud: options.aud ?? apiKey(),
    ...(customer === null ? {} : { sub: `gid://shopify/Customer/${customer}` }),
    exp: now + (options.expiresIn ?? 300),
    nbf: now - 5,
    iat: now - 5,
    jti: randomUUID(),
    sid: randomUUID(),
  };
  const unsigned = `${base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${base64url(JSON.stringify(payload))}`;
  const signature = createHmac("sha256", options.secret ?? apiSecret())
    .update(unsigned)
    .digest();
  return `${unsigned}.${base64url(signature)}`;
}

function accountRequest(
  endpoint: string,
  token: string | null,
  init: {
    method?: string;
    json?: unknown;
    form?: string;
    raw?: { type: string | null; body: BodyInit };
    origin?: string | null;
  } = {},
): Request {
  const headers = new Headers();
  if (token !== null) headers.set("Authorization", `Bearer ${token}`);
  if (init.origin !== null) headers.set("Origin", init.origin ?? EXTENSION_ORIGIN);
  let body: string | undefined;
  if (init.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(init.json);
  } else if (init.form !== undefined) {
    headers.set("Content-Type", "application/x-www-form-urlencoded");
    body = init.form;
  }
  if (init.raw) {
    if (init.raw.type !== null) headers.set("Content-Type", init.raw.type);
    return new Request(`${process.env.SHOPIFY_APP_URL}/api/loyalty/${endpoint}`, {
      method: "POST",
      headers,
      body: init.raw.body,
      duplex: "half",
    } as RequestInit);
  }
  return new Request(`${process.env.SHOPIFY_APP_URL}/api/loyalty/${endpoint}`, {
    method: init.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body,
  });
}

interface Answer {
  error?: { code: string; message: string };
  [field: string]: unknown;
}

async function json(response: Response) {
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer };
}

function expectCors(response: { headers: Headers }) {
  expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
  expect(response.headers.get("Access-Control-Allow-Headers")).toContain("Authorization");
  expect(response.headers.get("Access-Control-Allow-Headers")).toContain("Content-Type");
}

async function shopWithProgram(label: string, enabled = true) {
  const shop = uniqueShop(label);
  const row = await ensureShop(shop);
  await storeOfflineSession(shop);
  await saveLoyaltyProgram(shop, { enabled, settings: PROGRAM }, "staff 1", new Date("2025-01-01"));
  return { shop, shopId: row.id };
}

async function memberWithPoints(label: string, points: number) {
  const { shop, shopId } = await shopWithProgram(label);
  await deliver({
    topic: "customers/create",
    shop,
    payload: { id: CUSTOMER, email: "ada@example.com", first_name: "Ada", updated_at: "2026-01-01T00:00:00Z" },
  });
  const customer = await prisma.customer.findUniqueOrThrow({
    where: { shopId_shopifyId: { shopId, shopifyId: CUSTOMER } },
  });
  if (points) await adjustMemberPoints(shop, customer.id, { points, reason: "Welcome gift" }, "staff 1");
  return { shop, shopId, customerId: customer.id };
}

const balanceOf = async (customerId: string) =>
  (await prisma.loyaltyAccount.findUniqueOrThrow({ where: { customerId } })).pointsBalance;

interface DiscountVariables {
  discount: { code: string; usageLimit: number; context: { customers: { add: string[] } } };
}

describe("the customer account door: reading", () => {
  it("shows a member their balance, tier, progress, history and rewards, with CORS headers", async () => {
    const { shop } = await memberWithPoints("ca-read", 120);
    const token = sessionToken({ shop });

    const balance = await json(await balanceLoader(routeArgs(accountRequest("balance", token))));
    expect(balance.status).toBe(200);
    expectCors(balance);
    expect(balance.headers.get("Cache-Control")).toBe("no-store");
    expect(balance.body).toMatchObject({
      shopper: { customerId: CUSTOMER.toString(), firstName: "Ada" },
      currencyCode: "USD",
      pointsBalance: 120,
      pendingPoints: 0,
      tier: { id: "silver", name: "Silver" },
      nextTier: { id: "gold", name: "Gold", unit: "points" },
      expiring: null,
      earn: { pointsPerCurrencyUnit: "1" },
      birthday: null,
    });

    const history = await json(await historyLoader(routeArgs(accountRequest("history", token))));
    expect(history.status).toBe(200);
    expectCors(history);
    expect(history.body.nextCursor).toBeNull();
    expect(history.body.entries).toEqual([
      expect.objectContaining({ kind: "adjustment", points: 120, reason: "Welcome gift", orderName: null }),
    ]);
    // Staff names stay in the admin.
    expect(JSON.stringify(history.body)).not.toContain("staff 1");

    const rewards = await json(await rewardsLoader(routeArgs(accountRequest("rewards", token))));
    expect(rewards.status).toBe(200);
    expectCors(rewards);
    expect(rewards.body).toEqual({
      pointsBalance: 120,
      rewards: [
        {
          id: "five-off",
          name: "$5 off",
          pointsCost: 100,
          minimumOrder: "0.00",
          discount: { type: "fixedAmount", amount: "5.00" },
          affordable: true,
        },
        {
          id: "big",
          name: "$50 off",
          pointsCost: 5000,
          minimumOrder: "0.00",
          discount: { type: "fixedAmount", amount: "50.00" },
          affordable: false,
        },
      ],
    });
  });

  it("pages the history newest first, 20 a page, with a cursor", async () => {
    const { shop, customerId } = await memberWithPoints("ca-pages", 0);
    for (let index = 1; index <= 23; index += 1)
      await adjustMemberPoints(
        shop,
        customerId,
        { points: index, reason: `Gift ${index}` },
        "staff 1",
        new Date(Date.UTC(2026, 0, index)),
      );
    const token = sessionToken({ shop });
    const first = await json(await historyLoader(routeArgs(accountRequest("history", token))));
    expect(first.body.entries).toHaveLength(20);
    expect((first.body.entries as unknown[])[0]).toMatchObject({ points: 23 });
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const cursor = encodeURIComponent(String(first.body.nextCursor));
    const second = await json(await historyLoader(routeArgs(accountRequest(`history?cursor=${cursor}`, token))));
    expect((second.body.entries as { points: number }[]).map((entry) => entry.points)).toEqual([3, 2, 1]);
    expect(second.body.nextCursor).toBeNull();

    const bad = await json(await historyLoader(routeArgs(accountRequest("history?cursor=..%2F", token))));
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe("invalidRequest");
    expectCors(bad);
  });

  it("shows a logged-in shopper Perennial has not seen an empty balance, no history and the rewards", async () => {
    const { shop, shopId } = await shopWithProgram("ca-stranger");
    const token = sessionToken({ shop, customer: STRANGER });
    const balance = await json(await balanceLoader(routeArgs(accountRequest("balance", token))));
    expect(balance.status).toBe(200);
    expect(balance.body).toMatchObject({
      shopper: { customerId: STRANGER.toString(), firstName: null },
      pointsBalance: 0,
      pendingPoints: 0,
      tier: null,
      nextTier: { id: "silver" },
      expiring: null,
      birthday: null,
    });
    const history = await json(await historyLoader(routeArgs(accountRequest("history", token))));
    expect(history.body).toEqual({ entries: [], nextCursor: null });
    const rewards = await json(await rewardsLoader(routeArgs(accountRequest("rewards", token))));
    expect(rewards.body.pointsBalance).toBe(0);
    expect((rewards.body.rewards as { affordable: boolean }[]).map((reward) => reward.affordable)).toEqual([
      false,
      false,
    ]);
    // Reading creates nothing.
    expect(await prisma.customer.count({ where: { shopId } })).toBe(0);
  });

  it("reads the shop from a `dest` given as a URL too", async () => {
    const { shop } = await memberWithPoints("ca-dest-url", 40);
    const token = sessionToken({ shop, dest: `https://${shop}` });
    const balance = await json(await balanceLoader(routeArgs(accountRequest("balance", token))));
    expect(balance.body).toMatchObject({ pointsBalance: 40 });
  });

  it("answers 404 programOff while the shop's program is off", async () => {
    const { shop } = await shopWithProgram("ca-off", false);
    const response = await json(await balanceLoader(routeArgs(accountRequest("balance", sessionToken({ shop })))));
    expect(response.status).toBe(404);
    expect(response.body.error?.code).toBe("programOff");
    expectCors(response);
  });
});

describe("the customer account door: who may ask", () => {
  it("answers a guest (a token without `sub`) 401 notLoggedIn with the login URL", async () => {
    const { shop } = await shopWithProgram("ca-guest");
    const token = sessionToken({ shop, customer: null });
    for (const loader of [balanceLoader, historyLoader, rewardsLoader]) {
      const response = await json(await loader(routeArgs(accountRequest("balance", token))));
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ error: { code: "notLoggedIn" }, loginUrl: "/account/login" });
      expect(response.body.error?.message).toEqual(expect.any(String));
      expectCors(response);
    }
    const redeem = await json(
      await redeemAction(routeArgs(accountRequest("redeem", token, { json: { rewardId: "five-off" } }))),
    );
    expect(redeem.status).toBe(401);
    expect(redeem.body.error?.code).toBe("notLoggedIn");
  });

  it("refuses a missing, forged, expired or foreign token with 401 badSignature and CORS headers", async () => {
    const { shop } = await memberWithPoints("ca-forged", 500);
    const valid = sessionToken({ shop });
    const [head, payload] = valid.split(".");
    const tokens: Record<string, string | null> = {
      missing: null,
      forged: `${head}.${payload}.${base64url("not-the-signature")}`,
      otherSecret: sessionToken({ shop, secret: "some-other-app-secret" }),
      expired: sessionToken({ shop, expiresIn: -3600 }),
      otherApp: sessionToken({ shop, aud: "some-other-app" }),
      garbage: "not.a.jwt",
    };
    for (const [name, token] of Object.entries(tokens)) {
      const response = await json(await balanceLoader(routeArgs(accountRequest("balance", token))));
      expect({ name, status: response.status, code: response.body.error?.code }).toEqual({
        name,
        status: 401,
        code: "badSignature",
      });
      expectCors(response);
    }
    const redeem = await json(
      await redeemAction(routeArgs(accountRequest("redeem", tokens.forged, { json: { rewardId: "five-off" } }))),
    );
    expect(redeem.status).toBe(401);
    expect(redeem.body.error?.code).toBe("badSignature");
  });

  it("answers the CORS preflight of every endpoint", async () => {
    for (const [endpoint, loader] of [
      ["balance", balanceLoader],
      ["history", historyLoader],
      ["rewards", rewardsLoader],
      ["redeem", redeemLoader],
      ["birthday", birthdayLoader],
    ] as const) {
      const request = accountRequest(endpoint, null, { method: "OPTIONS" });
      request.headers.set("Access-Control-Request-Method", endpoint === "redeem" ? "POST" : "GET");
      request.headers.set("Access-Control-Request-Headers", "authorization, content-type");
      let response: Response;
      try {
        response = await loader(routeArgs(request));
      } catch (thrown) {
        if (!(thrown instanceof Response)) throw thrown;
        response = thrown;
      }
      expect({ endpoint, status: response.status }).toEqual({ endpoint, status: 204 });
      expectCors(response);
    }
  });

  it("adds no CORS headers for the app's own origin", async () => {
    const { shop } = await memberWithPoints("ca-same-origin", 10);
    const request = accountRequest("balance", sessionToken({ shop }), { origin: process.env.SHOPIFY_APP_URL });
    const response = await balanceLoader(routeArgs(request));
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});

describe("the customer account door: redeeming", () => {
  it("spends the shopper's points for a single-use code only they can use", async () => {
    const { shop, customerId } = await memberWithPoints("ca-redeem", 250);
    const seen: DiscountVariables[] = [];
    shopifyApi.use(
      adminApi(shop).mutation<object, DiscountVariables>("RewardCode", ({ variables }) => {
        seen.push(variables);
        return HttpResponse.json({
          data: {
            discountCodeBasicCreate: {
              codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/7001" },
              userErrors: [],
            },
          },
        });
      }),
    );
    const token = sessionToken({ shop });
    const response = await json(
      await redeemAction(routeArgs(accountRequest("redeem", token, { json: { rewardId: "five-off" } }))),
    );
    expect(response.status).toBe(200);
    expectCors(response);
    expect(response.body).toEqual({
      redemptionId: expect.any(String),
      code: expect.stringMatching(/^PRN-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
      reward: { id: "five-off", name: "$5 off" },
      pointsBalance: 150,
    });
    expect(seen).toHaveLength(1);
    expect(seen[0].discount).toMatchObject({
      code: response.body.code,
      usageLimit: 1,
      context: { customers: { add: [`gid://shopify/Customer/${CUSTOMER}`] } },
    });
    expect(await balanceOf(customerId)).toBe(150);
    const redemption = await prisma.redemption.findUniqueOrThrow({ where: { id: String(response.body.redemptionId) } });
    expect(redemption).toMatchObject({ status: "issued", shopifyDiscountId: "gid://shopify/DiscountCodeNode/7001" });
  });

  it("refuses a reward the shopper can't afford, or that does not exist, with 409", async () => {
    const { shop, customerId } = await memberWithPoints("ca-redeem-409", 250);
    const token = sessionToken({ shop });
    const refused = await json(
      await redeemAction(routeArgs(accountRequest("redeem", token, { json: { rewardId: "big" } }))),
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe("notEnoughPoints");
    expectCors(refused);
    const unknown = await json(
      await redeemAction(routeArgs(accountRequest("redeem", token, { json: { rewardId: "nope" } }))),
    );
    expect(unknown.status).toBe(409);
    expect(unknown.body.error?.code).toBe("unknownReward");
    const malformed = await json(await redeemAction(routeArgs(accountRequest("redeem", token, { json: {} }))));
    expect(malformed.status).toBe(400);
    expect(malformed.body.error?.code).toBe("invalidRequest");
    expectCors(malformed);
    expect(await balanceOf(customerId)).toBe(250);
  });

  it("takes only a JSON body: a form, text/plain or no type is refused with 415, writing nothing", async () => {
    const { shop, customerId } = await memberWithPoints("ca-redeem-415", 250);
    const token = sessionToken({ shop });
    const bodies = [
      { form: "rewardId=five-off" },
      { raw: { type: "text/plain", body: JSON.stringify({ rewardId: "five-off" }) } },
      { raw: { type: null, body: JSON.stringify({ rewardId: "five-off" }) } },
      { raw: { type: "application/jsonp", body: JSON.stringify({ rewardId: "five-off" }) } },
    ];
    for (const init of bodies) {
      const redeem = await json(await redeemAction(routeArgs(accountRequest("redeem", token, init))));
      expect(redeem.status, JSON.stringify(init)).toBe(415);
      expect(redeem.body.error?.code).toBe("unsupportedMediaType");
      expectCors(redeem);
    }
    const birthday = await json(
      await birthdayAction(routeArgs(accountRequest("birthday", token, { form: "birthday=04-23" }))),
    );
    expect(birthday).toMatchObject({ status: 415, body: { error: { code: "unsupportedMediaType" } } });
    expect(await balanceOf(customerId)).toBe(250);
    expect((await prisma.loyaltyAccount.findUniqueOrThrow({ where: { customerId } })).birthday).toBeNull();
  });

  it("refuses a body over 4 KiB with 413, declared or streamed, without reading the rest", async () => {
    const { shop, customerId } = await memberWithPoints("ca-redeem-413", 250);
    const token = sessionToken({ shop });
    const padded = JSON.stringify({ rewardId: "five-off", cartToken: " ".repeat(5000) });
    const declared = await json(
      await redeemAction(
        routeArgs(accountRequest("redeem", token, { raw: { type: "application/json", body: padded } })),
      ),
    );
    expect(declared).toMatchObject({ status: 413, body: { error: { code: "bodyTooLarge" } } });
    expectCors(declared);
    // A stream that never ends: read only until it passes the limit.
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1024;
        controller.enqueue(new TextEncoder().encode(" ".repeat(1024)));
      },
    });
    const streamed = await json(
      await birthdayAction(
        routeArgs(accountRequest("birthday", token, { raw: { type: "application/json", body: endless } })),
      ),
    );
    expect(streamed).toMatchObject({ status: 413, body: { error: { code: "bodyTooLarge" } } });
    expect(pulled).toBeLessThan(64 * 1024);
    expect(await balanceOf(customerId)).toBe(250);
  });

  it("refuses a browser Origin outside Shopify with 403, and takes Shopify's, the app's own, an opaque one or none", async () => {
    const { shop, customerId } = await memberWithPoints("ca-redeem-origin", 250);
    const token = sessionToken({ shop });
    for (const origin of [
      "https://evil.example",
      "https://shopify.com.evil.example",
      "http://extensions.shopifycdn.com",
    ]) {
      const redeem = await json(
        await redeemAction(routeArgs(accountRequest("redeem", token, { origin, json: { rewardId: "five-off" } }))),
      );
      expect(redeem.status, origin).toBe(403);
      expect(redeem.body.error?.code).toBe("foreignOrigin");
      expectCors(redeem);
      const birthday = await json(
        await birthdayAction(routeArgs(accountRequest("birthday", token, { origin, json: { birthday: "04-23" } }))),
      );
      expect(birthday.status, origin).toBe(403);
    }
    expect(await balanceOf(customerId)).toBe(250);
    expect((await prisma.loyaltyAccount.findUniqueOrThrow({ where: { customerId } })).birthday).toBeNull();
    for (const origin of [
      EXTENSION_ORIGIN,
      "https://shopify.com",
      new URL(process.env.SHOPIFY_APP_URL!).origin,
      // A sandboxed frame or worker has an opaque origin; only the Bearer token proves the shopper.
      "null",
      null,
    ]) {
      const birthday = await birthdayAction(
        routeArgs(accountRequest("birthday", token, { origin, json: { birthday: "04-23" } })),
      );
      expect(birthday.status, String(origin)).toBe(200);
    }
  });

  it("gives the points back and answers 502 when Shopify answers with userErrors", async () => {
    const { shop, customerId } = await memberWithPoints("ca-redeem-502", 250);
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
    const response = await json(
      await redeemAction(
        routeArgs(accountRequest("redeem", sessionToken({ shop }), { json: { rewardId: "five-off" } })),
      ),
    );
    expect(response.status).toBe(502);
    expect(response.body.error?.code).toBe("discountFailed");
    expectCors(response);
    expect(await balanceOf(customerId)).toBe(250);
    const redemption = await prisma.redemption.findFirstOrThrow({ where: { customerId } });
    expect(redemption.status).toBe("failed");
  });

  it("refuses anything but POST with 405", async () => {
    const { shop } = await memberWithPoints("ca-redeem-get", 250);
    const response = await json(await redeemLoader(routeArgs(accountRequest("redeem", sessionToken({ shop })))));
    expect(response.status).toBe(405);
    expect(response.body.error?.code).toBe("methodNotAllowed");
    expect(response.headers.get("Allow")).toBe("POST");
    expectCors(response);
  });
});

describe("the customer account door: the birthday", () => {
  it("saves the birthday once: the same day again is fine, another is refused", async () => {
    const { shop, customerId } = await memberWithPoints("ca-birthday", 10);
    const token = sessionToken({ shop });
    const saved = await json(
      await birthdayAction(routeArgs(accountRequest("birthday", token, { json: { birthday: "04-23" } }))),
    );
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ birthday: "04-23" });
    expectCors(saved);
    expect((await prisma.loyaltyAccount.findUniqueOrThrow({ where: { customerId } })).birthday).toBe("04-23");

    const again = await json(
      await birthdayAction(routeArgs(accountRequest("birthday", token, { json: { birthday: "04-23" } }))),
    );
    expect(again.status).toBe(200);

    const changed = await json(
      await birthdayAction(routeArgs(accountRequest("birthday", token, { json: { birthday: "12-01" } }))),
    );
    expect(changed.status).toBe(409);
    expect(changed.body.error).toMatchObject({ code: "birthdayAlreadySet", message: expect.any(String) });
    expectCors(changed);
    expect((await prisma.loyaltyAccount.findUniqueOrThrow({ where: { customerId } })).birthday).toBe("04-23");

    const balance = await json(await balanceLoader(routeArgs(accountRequest("balance", token))));
    expect(balance.body.birthday).toBe("04-23");
  });

  it("refuses a malformed birthday with 400 invalidRequest", async () => {
    const { shop, customerId } = await memberWithPoints("ca-birthday-400", 10);
    const token = sessionToken({ shop });
    for (const body of [{ birthday: "13-01" }, { birthday: "02-30" }, { birthday: "4-23" }, { birthday: 423 }, {}]) {
      const response = await json(await birthdayAction(routeArgs(accountRequest("birthday", token, { json: body }))));
      expect({ body, status: response.status, code: response.body.error?.code }).toEqual({
        body,
        status: 400,
        code: "invalidRequest",
      });
      expectCors(response);
    }
    const notJson = new Request(`${process.env.SHOPIFY_APP_URL}/api/loyalty/birthday`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, Origin: EXTENSION_ORIGIN, "Content-Type": "application/json" },
      body: "{",
    });
    expect((await birthdayAction(routeArgs(notJson))).status).toBe(400);
    expect((await prisma.loyaltyAccount.findUniqueOrThrow({ where: { customerId } })).birthday).toBeNull();
  });

  it("enrols a shopper Perennial has not seen yet, and accepts 29 February", async () => {
    const { shop, shopId } = await shopWithProgram("ca-birthday-new");
    const token = sessionToken({ shop, customer: STRANGER });
    const saved = await json(
      await birthdayAction(routeArgs(accountRequest("birthday", token, { json: { birthday: "02-29" } }))),
    );
    expect(saved.status).toBe(200);
    const customer = await prisma.customer.findUniqueOrThrow({
      where: { shopId_shopifyId: { shopId, shopifyId: STRANGER } },
    });
    expect((await prisma.loyaltyAccount.findUniqueOrThrow({ where: { customerId: customer.id } })).birthday).toBe(
      "02-29",
    );
  });

  it("keeps a guest's birthday out and refuses GET", async () => {
    const { shop } = await shopWithProgram("ca-birthday-guest");
    const guest = await json(
      await birthdayAction(
        routeArgs(accountRequest("birthday", sessionToken({ shop, customer: null }), { json: { birthday: "04-23" } })),
      ),
    );
    expect(guest.status).toBe(401);
    expect(guest.body.error?.code).toBe("notLoggedIn");
    const get = await birthdayLoader(routeArgs(accountRequest("birthday", sessionToken({ shop }))));
    expect(get.status).toBe(405);
  });
});

describe("reading the token's claims", () => {
  it("takes the shop from `dest` and the customer from `sub`", () => {
    expect(shopFromDest("Shop-1.myshopify.com")).toBe("shop-1.myshopify.com");
    expect(shopFromDest("https://shop-1.myshopify.com")).toBe("shop-1.myshopify.com");
    expect(shopFromDest("")).toBeNull();
    expect(shopFromDest(undefined)).toBeNull();
    expect(shopFromDest("shop 1/../x")).toBeNull();
    expect(customerFromSub(`gid://shopify/Customer/${CUSTOMER}`)).toBe(CUSTOMER);
    expect(customerFromSub("gid://shopify/StaffMember/1")).toBeNull();
    expect(customerFromSub(undefined)).toBeNull();
  });
});
