// The merchant's loyalty pages on the embedded database, through their loaders and actions with
// an admin session token: the Loyalty program form (validation messages at their fields, saving,
// who changed what), and the Customer page's Points card (balance, history, manual adjustments).
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  draftFromSettings,
  fieldIdOf,
  settingsFromDraft,
  type ProgramDraft,
} from "~/components/loyalty/program-form/program-draft";
import { loyaltySettingsSchema, type LoyaltySettingsInput } from "~/core/loyalty";
import prisma from "~/db.server";
import { action as customerAction, loader as customerLoader } from "~/routes/app.customers.$id";
import { action as programAction, loader as programLoader } from "~/routes/app.loyalty._index";
import { POINTS_HISTORY_PAGE_SIZE } from "~/loyalty/customer-points.server";
import { stopJobQueue } from "~/platform/jobs.server";
import { DEFAULT_LOYALTY_SETTINGS, readLoyaltyProgram, saveLoyaltyProgram } from "~/loyalty/program.server";
import { ensureShop } from "~/sync/shops.server";

import {
  adminDocumentRequest,
  adminFetchRequest,
  routeArgs,
  storeOfflineSession,
  uniqueShop,
} from "../helpers/shopify";

// The staff member in the test helpers' session tokens.
const STAFF = "staff 12345";

const FULL_SETTINGS: LoyaltySettingsInput = {
  earnRate: "0.1",
  includeTax: true,
  includeShipping: false,
  availability: { when: "afterDays", days: 14 },
  bonuses: { signUp: 100, birthday: 50, firstOrder: 25 },
  expiry: { inactiveDays: 365, warningDays: 30 },
  rewards: [
    {
      id: "five",
      name: "$5 off",
      pointsCost: 500,
      minimumOrder: "0.00",
      discount: { type: "fixedAmount", amount: "5.00" },
    },
    {
      id: "pct",
      name: "10% off",
      pointsCost: 900,
      minimumOrder: "50.00",
      discount: { type: "percentage", percent: 10 },
    },
    { id: "ship", name: "Free shipping", pointsCost: 300, minimumOrder: "0.00", discount: { type: "freeShipping" } },
  ],
  returnRedeemedPointsOnCancel: false,
  tiers: {
    basis: "netSpend",
    window: "rolling12Months",
    review: "quarterly",
    levels: [
      { id: "silver", name: "Silver", threshold: "500", earnMultiplier: "1.5" },
      { id: "gold", name: "Gold", threshold: "1000", earnMultiplier: "2" },
    ],
  },
  excludedCustomerTags: ["wholesale", "staff"],
};

async function post(shop: string, path: string, body: { json?: unknown; form?: Record<string, string> }) {
  const signed = await adminFetchRequest(shop, path);
  const headers = new Headers(signed.headers);
  if (body.json !== undefined) headers.set("Content-Type", "application/json");
  return new Request(signed.url, {
    method: "POST",
    headers,
    body: body.json !== undefined ? JSON.stringify(body.json) : new URLSearchParams(body.form),
  });
}

type Returned<T> = T extends { data: infer Data } ? Data : T;

/** An action's answer: single fetch wraps a status in `data()`; a plain object is a 200. */
function answer<T>(result: T): { status: number; body: Returned<T> } {
  const wrapped = result as { type?: string; data?: unknown; init?: { status?: number } | null };
  if (wrapped && wrapped.type === "DataWithResponseInit")
    return { status: wrapped.init?.status ?? 200, body: wrapped.data as Returned<T> };
  return { status: 200, body: result as Returned<T> };
}

afterAll(async () => {
  await stopJobQueue();
});

describe("the Loyalty program form", () => {
  const shop = uniqueShop("loyalty-admin");

  beforeAll(async () => {
    await ensureShop(shop);
    await storeOfflineSession(shop);
  });

  const saveProgram = async (enabled: boolean, settings: unknown) =>
    answer(await programAction(routeArgs(await post(shop, "/app/loyalty?index", { json: { enabled, settings } }))));

  it("starts from suggested settings, saved nowhere yet", async () => {
    const page = await programLoader(routeArgs(await adminDocumentRequest(shop, "/app/loyalty")));
    expect(page.program.version).toBe(0);
    expect(page.program.enabled).toBe(false);
    expect(page.program.settings).toEqual(loyaltySettingsSchema.parse(DEFAULT_LOYALTY_SETTINGS));
    expect(page.changes).toEqual([]);
    expect(page.currencyCode).toBe("USD");
  });

  it("refuses invalid settings, with the validation's own message at each field, and saves nothing", async () => {
    const draft: ProgramDraft = {
      ...draftFromSettings(true, loyaltySettingsSchema.parse(FULL_SETTINGS)),
      earnRate: "1,5",
      pendingDays: "0",
      warningDays: "400",
    };
    draft.rewards[0] = { ...draft.rewards[0], name: " ", pointsCost: "12.5", amount: "-5" };
    draft.tiers[1] = { ...draft.tiers[1], threshold: "100" };
    const { status, body } = await saveProgram(true, settingsFromDraft(draft));
    expect(status).toBe(400);
    if (body.ok) throw new Error("expected problems");
    const byPath = Object.fromEntries(body.problems.map((problem) => [problem.path, problem.message]));
    expect(byPath).toEqual({
      earnRate: "Earn rate must be a number, like 0.1.",
      "availability.days": "Pending period must be at least 1.",
      "expiry.warningDays": "Days of warning before points expire can be at most 365.",
      "rewards.0.name": "Give the reward a name.",
      "rewards.0.pointsCost": "Points cost must be a whole number.",
      "rewards.0.discount.amount": "Amount off can't be negative.",
      "tiers.levels.1.threshold": "Gold must need more than Silver (500); list tiers from lowest to highest.",
    });
    // Every path is a field of the form.
    for (const problem of body.problems) expect(fieldIdOf(problem.path, draft)).toBe(problem.path);
    expect((await readLoyaltyProgram(shop))!.program.version).toBe(0);
    expect(await prisma.loyaltyProgramChange.count({ where: { shop: { shopDomain: shop } } })).toBe(0);
  });

  it("saves valid settings as a new version, recording the staff member, and shows the change", async () => {
    const draft = draftFromSettings(true, loyaltySettingsSchema.parse(FULL_SETTINGS));
    const first = await saveProgram(true, settingsFromDraft(draft));
    expect(first).toEqual({ status: 200, body: { ok: true, version: 1 } });

    const page = await programLoader(routeArgs(await adminDocumentRequest(shop, "/app/loyalty")));
    expect(page.program).toMatchObject({ enabled: true, version: 1, updatedBy: STAFF });
    expect(page.program.settings).toEqual(loyaltySettingsSchema.parse(FULL_SETTINGS));
    expect(page.changes).toEqual([{ version: 1, enabled: true, staffMember: STAFF, changedAt: expect.any(String) }]);

    // Turning it off is a change too, newest first in the history.
    const second = await saveProgram(false, settingsFromDraft({ ...draft, earnRate: "0.25" }));
    expect(second.body).toEqual({ ok: true, version: 2 });
    const after = await programLoader(routeArgs(await adminDocumentRequest(shop, "/app/loyalty")));
    expect(after.program).toMatchObject({ enabled: false, version: 2 });
    expect(after.program.settings.earnRate).toBe("0.25");
    expect(after.changes.map((change) => [change.version, change.enabled, change.staffMember])).toEqual([
      [2, false, STAFF],
      [1, true, STAFF],
    ]);
  });

  it("answers an unreadable body with a message, not an error page", async () => {
    const signed = await adminFetchRequest(shop, "/app/loyalty?index");
    const headers = new Headers(signed.headers);
    headers.set("Content-Type", "application/json");
    const request = new Request(signed.url, { method: "POST", headers, body: "{not json" });
    const { status, body } = answer(await programAction(routeArgs(request)));
    expect(status).toBe(400);
    expect(body.ok).toBe(false);
  });
});

describe("the form's draft", () => {
  it("round-trips every setting, and keeps turned-off sections' values without sending them", () => {
    const settings = loyaltySettingsSchema.parse(FULL_SETTINGS);
    const draft = draftFromSettings(true, settings);
    expect(loyaltySettingsSchema.parse(settingsFromDraft(draft))).toEqual(settings);
    const off = settingsFromDraft({ ...draft, tiersOn: false, expiryOn: false });
    expect(off.tiers).toBeNull();
    expect(off.expiry).toBeNull();
    expect(draft.tiers).toHaveLength(2);
  });

  it("sends problems about a group to the field that fixes it", () => {
    const draft = draftFromSettings(true, loyaltySettingsSchema.parse(FULL_SETTINGS));
    expect(fieldIdOf("rewards.1.discount", draft)).toBe("rewards.1.discount.percent");
    expect(fieldIdOf("rewards.2.discount", draft)).toBe("rewards.2.discount.type");
    expect(fieldIdOf("tiers.levels", draft)).toBe("tiers.add");
    expect(fieldIdOf("availability", draft)).toBe("availability.when");
    expect(fieldIdOf("bonuses.signUp", draft)).toBe("bonuses.signUp");
  });
});

describe("the Customer page's Points card", () => {
  const shop = uniqueShop("loyalty-points");
  let customerId: string;

  const customerPage = async (id = customerId, search = "") =>
    customerLoader({
      ...routeArgs(await adminDocumentRequest(shop, `/app/customers/${id}${search}`)),
      params: { id },
    });
  const adjust = async (form: Record<string, string>, id = customerId) =>
    answer(
      await customerAction({
        ...routeArgs(await post(shop, `/app/customers/${id}`, { form: { intent: "adjustPoints", ...form } })),
        params: { id },
      }),
    );

  beforeAll(async () => {
    const { id: shopId } = await ensureShop(shop);
    await storeOfflineSession(shop);
    const customer = await prisma.customer.create({
      data: { shopId, shopifyId: 42n, firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" },
    });
    customerId = customer.id;
  });

  it("says there is no program yet", async () => {
    const page = await customerPage();
    expect(page.points.program).toBeNull();
    expect(page.points.member).toBeNull();
    const refused = await adjust({ adjustmentId: "x", points: "10", reason: "Goodwill" });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      ok: false,
      problems: [{ field: "", message: "Set up the loyalty program first." }],
    });
  });

  it("shows a customer who is not a member yet, with a fresh adjustment id on every load", async () => {
    const saved = await programAction(
      routeArgs(
        await post(shop, "/app/loyalty?index", {
          json: {
            enabled: true,
            settings: {
              earnRate: "1",
              tiers: { ...FULL_SETTINGS.tiers!, basis: "pointsEarned" },
              rewards: FULL_SETTINGS.rewards,
            },
          },
        }),
      ),
    );
    expect(answer(saved).body).toMatchObject({ ok: true });
    const page = await customerPage();
    expect(page.points.program).toEqual({ enabled: true });
    expect(page.points.member).toBeNull();
    expect(page.points.history.entries).toEqual([]);
    expect(page.points.adjustmentId).not.toBe((await customerPage()).points.adjustmentId);
    // The page's other figures are still there.
    expect(page.name).toBe("Ada Lovelace");
  });

  it("puts each problem with an adjustment at its field", async () => {
    const missingReason = await adjust({ adjustmentId: "a1", points: "50", reason: "  " });
    expect(missingReason).toEqual({
      status: 400,
      body: {
        ok: false,
        problems: [{ field: "reason", message: "Give a reason for the adjustment; the customer's history shows it." }],
      },
    });
    const notANumber = await adjust({ adjustmentId: "a1", points: "fifty", reason: "Goodwill" });
    expect(notANumber.body).toEqual({
      ok: false,
      problems: [{ field: "points", message: "Points must be a whole number." }],
    });
    const zero = await adjust({ adjustmentId: "a1", points: "0", reason: "Goodwill" });
    expect(zero.body).toEqual({
      ok: false,
      problems: [{ field: "points", message: "Add or remove at least 1 point." }],
    });
    const tooMany = await adjust({ adjustmentId: "a1", points: "-5", reason: "Mistake" });
    expect(tooMany).toEqual({
      status: 400,
      body: {
        ok: false,
        problems: [{ field: "points", message: "Can't remove 5 points: the customer has 0 available." }],
      },
    });
    expect(await prisma.ledgerEntry.count({ where: { customerId, kind: "adjustment" } })).toBe(0);
  });

  it("adjusts once for a form submitted twice, and shows who did it and why", async () => {
    const { adjustmentId } = (await customerPage()).points;
    const form = { adjustmentId, points: "+50", reason: "Parcel arrived late" };
    const [first, second] = await Promise.all([adjust(form), adjust(form)]);
    expect(first).toEqual({ status: 200, body: { ok: true, pointsBalance: 50 } });
    expect(second).toEqual({ status: 200, body: { ok: true, pointsBalance: 50 } });
    expect(await prisma.ledgerEntry.count({ where: { customerId, kind: "adjustment" } })).toBe(1);

    const page = await customerPage();
    expect(page.points.member).toMatchObject({ pointsBalance: 50, pendingPoints: 0, owedPoints: 0, tier: null });
    // Tiers count points earned on orders, which an adjustment is not: Silver is still 500 away.
    expect(page.points.member?.nextTier).toMatchObject({ name: "Silver", unit: "points", remaining: "500" });
    expect(page.points.history.entries).toEqual([
      expect.objectContaining({
        kind: "adjustment",
        points: 50,
        pendingPoints: 0,
        staffMember: STAFF,
        reason: "Parcel arrived late",
        orderName: null,
      }),
    ]);

    const removed = await adjust({
      adjustmentId: (await customerPage()).points.adjustmentId,
      points: "−20",
      reason: "Typo",
    });
    expect(removed.body).toEqual({ ok: true, pointsBalance: 30 });
  });

  it("pages through the history, newest first", async () => {
    for (let n = 0; n < 2 * POINTS_HISTORY_PAGE_SIZE; n++) {
      const { adjustmentId } = (await customerPage()).points;
      expect((await adjust({ adjustmentId, points: String(n + 1), reason: `Entry ${n}` })).status).toBe(200);
    }
    const all = await prisma.ledgerEntry.findMany({
      where: { customerId },
      orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
      select: { id: true },
    });
    const seen: string[] = [];
    let search = "";
    for (;;) {
      const { history } = (await customerPage(customerId, search)).points;
      expect(history.entries.length).toBeLessThanOrEqual(POINTS_HISTORY_PAGE_SIZE);
      seen.push(...history.entries.map((entry) => entry.id));
      if (!history.nextCursor) break;
      search = `?pointsCursor=${history.nextCursor}`;
    }
    expect(seen).toEqual(all.map((entry) => entry.id));
  });

  it("refuses another shop's customer", async () => {
    const other = uniqueShop("loyalty-points-other");
    await ensureShop(other);
    await storeOfflineSession(other);
    expect((await saveLoyaltyProgram(other, { enabled: true, settings: { earnRate: 1 } }, "staff other")).ok).toBe(
      true,
    );
    const status = await customerLoader({
      ...routeArgs(await adminFetchRequest(other, `/app/customers/${customerId}`)),
      params: { id: customerId },
    }).then(
      () => 200,
      (thrown: Response) => thrown.status,
    );
    expect(status).toBe(404);
    const signed = await adminFetchRequest(other, `/app/customers/${customerId}`);
    const request = new Request(signed.url, {
      method: "POST",
      headers: signed.headers,
      body: new URLSearchParams({ intent: "adjustPoints", adjustmentId: "z", points: "5", reason: "No" }),
    });
    const result = answer(await customerAction({ ...routeArgs(request), params: { id: customerId } }));
    expect(result).toEqual({
      status: 404,
      body: { ok: false, problems: [{ field: "", message: "This customer was not found." }] },
    });
    expect(await prisma.ledgerEntry.count({ where: { adjustmentId: "z" } })).toBe(0);
  });
});
