// The one Admin API client, against MSW answering in the shapes Shopify documents: THROTTLED
// (https://shopify.dev/docs/api/usage/rate-limits) waited out from the reported bucket and
// retried, 5xx retried with backoff then classified, timeouts and GraphQL errors classified and
// never retried, and the answer's cost paced.
import { delay } from "msw";
import { describe, expect, it } from "vitest";

import { AdminApiError, adminGraphql, adminRequest, requireNoUserErrors } from "~/platform/shopify-admin.server";

import { adminApi, HttpResponse, queryCost, shopifyApi, throttledAnswer } from "../helpers/admin-api";
import { storeOfflineSession, uniqueShop } from "../helpers/shopify";

const QUERY = `#graphql
  query ShopName { shop { name } }`;

const okBody = {
  data: { shop: { name: "Ada's" } },
  extensions: queryCost(1, 1, 1999),
};

async function shopWithSession(label: string) {
  const shop = uniqueShop(label);
  await storeOfflineSession(shop);
  return shop;
}

/** Answers in turn (the last one repeats), counting the calls. */
function answers(shop: string, ...responses: (() => Response | Promise<Response>)[]) {
  const seen = { calls: 0 };
  shopifyApi.use(
    adminApi(shop).query("ShopName", () => {
      const respond = responses[Math.min(seen.calls, responses.length - 1)];
      seen.calls += 1;
      return respond();
    }),
  );
  return seen;
}

async function failure(call: Promise<unknown>): Promise<AdminApiError> {
  const error = await call.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AdminApiError);
  return error as AdminApiError;
}

describe("the Admin API client", () => {
  it("waits out a THROTTLED answer for as long as the bucket needs, then retries", async () => {
    const shop = await shopWithSession("throttled");
    const seen = answers(
      shop,
      () => throttledAnswer(150, 48),
      () => HttpResponse.json(okBody),
    );
    const waits: number[] = [];
    const data = await adminGraphql(shop, QUERY, {}, { sleep: async (ms) => void waits.push(ms) });
    expect(data).toEqual({ shop: { name: "Ada's" } });
    expect(seen.calls).toBe(2);
    // 102 points short, restoring 100 a second: 1.02 s.
    expect(waits).toEqual([1020]);
  });

  it("gives up on THROTTLED after its throttle retries, classified throttled", async () => {
    const shop = await shopWithSession("throttled-always");
    const seen = answers(shop, () => throttledAnswer(10, 0));
    const error = await failure(adminGraphql(shop, QUERY, {}, { throttleRetries: 2, sleep: async () => {} }));
    expect(error.kind).toBe("throttled");
    expect(seen.calls).toBe(3);
  });

  it("retries a 503 with backoff", async () => {
    const shop = await shopWithSession("unavailable");
    const seen = answers(
      shop,
      () => new HttpResponse("Service Unavailable", { status: 503 }),
      () => HttpResponse.json(okBody),
    );
    const waits: number[] = [];
    expect(await adminGraphql(shop, QUERY, {}, { sleep: async (ms) => void waits.push(ms) })).toEqual(okBody.data);
    expect(seen.calls).toBe(2);
    expect(waits).toEqual([1000]);
  });

  it("classifies repeated 5xx as http after its retries", async () => {
    const shop = await shopWithSession("internal");
    const seen = answers(shop, () => new HttpResponse("Internal Server Error", { status: 500 }));
    const waits: number[] = [];
    const error = await failure(
      adminGraphql(shop, QUERY, {}, { retries: 2, sleep: async (ms) => void waits.push(ms) }),
    );
    expect(error).toMatchObject({ kind: "http", status: 500 });
    expect(seen.calls).toBe(3);
    expect(waits).toEqual([1000, 2000]);
  });

  it("classifies no answer in time as timeout", async () => {
    const shop = await shopWithSession("slow");
    answers(shop, async () => {
      await delay(1_000);
      return HttpResponse.json(okBody);
    });
    const error = await failure(adminGraphql(shop, QUERY, {}, { timeoutMs: 100, sleep: async () => {} }));
    expect(error.kind).toBe("timeout");
  });

  it("classifies a dropped connection as network", async () => {
    const shop = await shopWithSession("dropped");
    answers(shop, () => HttpResponse.error());
    const error = await failure(adminGraphql(shop, QUERY, {}, { sleep: async () => {} }));
    expect(error.kind).toBe("network");
  });

  it("classifies GraphQL errors as graphql and does not retry them", async () => {
    const shop = await shopWithSession("unknown-field");
    const seen = answers(shop, () =>
      HttpResponse.json({
        errors: [
          {
            message: "Field 'nmae' doesn't exist on type 'Shop'",
            locations: [{ line: 2, column: 20 }],
            path: ["query ShopName", "shop", "nmae"],
            extensions: { code: "undefinedField", typeName: "Shop", fieldName: "nmae" },
          },
        ],
      }),
    );
    const error = await failure(adminGraphql(shop, QUERY, {}, { sleep: async () => {} }));
    expect(error.kind).toBe("graphql");
    expect(error.message).toContain("Field 'nmae' doesn't exist");
    expect(error.errors[0]).toMatchObject({ extensions: { code: "undefinedField" } });
    expect(seen.calls).toBe(1);
  });

  it("paces on the answer's cost when the bucket runs low", async () => {
    const shop = await shopWithSession("pace");
    answers(shop, () =>
      HttpResponse.json({
        ...okBody,
        extensions: queryCost(30, 20, 10),
      }),
    );
    const waits: number[] = [];
    const answer = await adminRequest(shop, QUERY, {}, { sleep: async (ms) => void waits.push(ms) });
    expect(answer.cost?.actualQueryCost).toBe(20);
    expect(waits).toEqual([100]);
    waits.length = 0;
    await adminRequest(shop, QUERY, {}, { pace: false, sleep: async (ms) => void waits.push(ms) });
    expect(waits).toEqual([]);
  });

  it("turns a mutation's userErrors into a userErrors error", () => {
    expect(() =>
      requireNoUserErrors("metafieldsSet", { userErrors: [{ field: ["metafields"], message: "Too many" }] }),
    ).toThrow(expect.objectContaining({ kind: "userErrors" }));
    expect(requireNoUserErrors("metafieldsSet", { userErrors: [], ok: 1 })).toEqual({ userErrors: [], ok: 1 });
  });
});
