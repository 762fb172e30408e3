// The demo store: a shop, its offline session and a synthetic history that is alive: it ends the
// day before the demo starts, and each later start appends the days since (the same seed on the
// same day gives the same rows). Its orders go through the path webhooks and the backfill use
// (perennial_apply_order, then the order's points in the same transaction), its loyalty program
// through the services the app uses, each change at the time it happened in the story; many
// events share a statement, which keeps the first start (two years of history) short.
import type { Prisma } from "@prisma/client";

import prisma from "~/db.server";
import { dailyChange, loyaltySettingsSchema, type LoyaltySettingsInput } from "~/core/loyalty";
import { reviewPeriod } from "~/core/loyalty/tiers";
import {
  DEMO_HISTORY,
  GROWTH_DAYS,
  generateSyntheticHistory,
  syntheticCustomerSnapshot,
  syntheticOrderEvents,
  type SyntheticCustomer,
  type SyntheticHistory,
} from "~/demo/synthetic-history";
import type { OrderSnapshot } from "~/core/orders/snapshot";
import { refreshClv, type ClvRefreshResult } from "~/insight/clv-refresh.server";
import { changeLoyaltyAccounts, loadLoyaltyProgram, type LoyaltyProgramState, type Tx } from "~/loyalty/ledger.server";
import { welcomeNewMembers } from "~/loyalty/members.server";
import { applyOrdersLoyalty } from "~/loyalty/order-points.server";
import { takeRewardPoints } from "~/loyalty/redemptions.server";
import { refreshLoyaltyResults } from "~/loyalty/results.server";
import { applyOrderSnapshots, upsertCustomers } from "~/sync/orders.server";

export const DEMO_SHOP = "perennial-demo.myshopify.com";
const DAY = 86_400_000;
const YEAR = 365 * DAY;
// Events per transaction: big enough that a first start is not a transaction per order, small
// enough that an interrupted one resumes near where it stopped.
const BATCH_EVENTS = 2000;
// The reward the demo's members take.
const DEMO_REWARD = "five-off";

export interface DemoStoreOptions {
  seed: number;
  /** Customers acquired over the store's first two years. */
  customers: number;
  /** With the demo's loyalty program, launched a year after the store opened. */
  loyalty?: boolean;
  /** The store's first day (midnight UTC); by default, two years before the day it is first seeded. */
  openedAt?: Date;
}

export const DEMO_STORE: DemoStoreOptions = {
  seed: DEMO_HISTORY.seed,
  customers: DEMO_HISTORY.customers,
  loyalty: true,
};

export interface DemoSeedResult {
  shopDomain: string;
  customers: number;
  orders: number;
  /** Days written by this call; 0 when the store was already up to date. */
  days: number;
  seeded: boolean;
}

const midnight = (at: Date) => new Date(Math.floor(at.getTime() / DAY) * DAY);

// The offline session Shopify would have stored after token exchange; its token is never sent
// anywhere (nothing reaches Shopify in the demo).
export async function storeDemoSession(scopes: string[], shopDomain: string = DEMO_SHOP): Promise<void> {
  const session = {
    shop: shopDomain,
    state: "",
    isOnline: false,
    scope: scopes.join(","),
    accessToken: "demo-offline-access-token",
    expires: new Date(Date.now() + YEAR),
    refreshToken: "demo-refresh-token",
    refreshTokenExpires: new Date(Date.now() + YEAR),
  };
  await prisma.session.upsert({
    where: { id: `offline_${shopDomain}` },
    create: { id: `offline_${shopDomain}`, ...session },
    update: session,
  });
}

/**
 * Brings the demo store up to `today`: its history holds every day before today's midnight (UTC).
 * The first call opens the store (two years before that day, unless told when); later calls
 * append the days since the last one. A store seeded with other options, or up to a later day
 * than `today` (a clock put back), is started again.
 */
export async function seedDemoStore(
  today: Date,
  options: DemoStoreOptions = DEMO_STORE,
  shopDomain: string = DEMO_SHOP,
): Promise<DemoSeedResult> {
  const end = midnight(today);
  const loyalty = options.loyalty ?? false;
  let shop = await prisma.shop.findUnique({ where: { shopDomain }, include: { demoStore: true } });
  const store = shop?.demoStore;
  if (
    shop &&
    (!store ||
      store.seed !== options.seed ||
      store.customers !== options.customers ||
      store.loyalty !== loyalty ||
      (options.openedAt && store.openedAt.getTime() !== options.openedAt.getTime()) ||
      store.seededThrough > end)
  ) {
    // Everything the shop holds cascades from its row.
    await prisma.shop.delete({ where: { id: shop.id } });
    shop = null;
  }
  if (!shop) {
    const openedAt = options.openedAt ?? new Date(end.getTime() - GROWTH_DAYS * DAY);
    shop = await prisma.shop.create({
      data: {
        shopDomain,
        name: "Perennial Demo Store",
        currencyCode: "USD",
        demoStore: {
          create: { seed: options.seed, customers: options.customers, loyalty, openedAt, seededThrough: openedAt },
        },
      },
      include: { demoStore: true },
    });
  } else if (!shop.isActive) {
    await prisma.shop.update({ where: { id: shop.id }, data: { isActive: true, uninstalledAt: null } });
  }
  const { openedAt, seededThrough } = shop.demoStore!;
  const history = generateSyntheticHistory({ ...options, openedAt, end });
  const result = { shopDomain, customers: history.customers.length, orders: history.orders.length };
  if (seededThrough >= end) return { ...result, days: 0, seeded: false };

  await writeDemoHistory(shop.id, history, { openedAt, from: seededThrough, end, loyalty });
  if (!(await prisma.backfillRun.findFirst({ where: { shopId: shop.id }, select: { id: true } }))) {
    // The history the first start wrote stands for a finished import; the days after, for webhooks.
    await prisma.backfillRun.create({
      data: {
        shopId: shop.id,
        status: "completed",
        objectCount: history.orders.length,
        linesImported: history.orders.length,
        startedAt: end,
        finishedAt: end,
      },
    });
  }
  return { ...result, days: (end.getTime() - seededThrough.getTime()) / DAY, seeded: true };
}

/**
 * The demo on `now`: its history brought up to date, then what is computed from the orders and
 * points: the CLV analysis (as of today's midnight, so the same all day) and the loyalty results.
 */
export async function prepareDemoStore(
  now: Date,
  options: DemoStoreOptions = DEMO_STORE,
  shopDomain: string = DEMO_SHOP,
): Promise<{ seed: DemoSeedResult; clv: ClvRefreshResult | null }> {
  const seed = await seedDemoStore(now, options, shopDomain);
  const asOf = midnight(now);
  const insight = await prisma.shopInsight.findFirst({ where: { shop: { shopDomain } }, select: { asOf: true } });
  const clv =
    !insight || insight.asOf.getTime() !== asOf.getTime()
      ? await refreshClv(shopDomain, { trigger: "demo", asOf })
      : null;
  if (options.loyalty) await refreshLoyaltyResults(shopDomain, { now });
  return { seed, clv };
}

// --- the story, day by day --------------------------------------------------------------------

type DemoEvent =
  // The daily loyalty job, at midnight.
  | { at: number; kind: "night" }
  | { at: number; kind: "launch" }
  // customers/create, while the program is on: the customer joins with the sign-up bonus.
  | { at: number; kind: "customer"; customer: SyntheticCustomer }
  | { at: number; kind: "order"; snapshot: OrderSnapshot }
  // A member who can afford $5 off may take it the day after an order.
  | { at: number; kind: "redeem"; orderShopifyId: bigint; customerShopifyId: bigint };

// Of events at the same instant, the night's job runs first.
const KIND_ORDER: Record<DemoEvent["kind"], number> = { night: 0, launch: 1, customer: 2, order: 3, redeem: 4 };

// A small deterministic hash: the same customers join and redeem on every run.
function demoDraw(text: string): number {
  let hash = 2166136261;
  for (let index = 0; index < text.length; index += 1) hash = Math.imul(hash ^ text.charCodeAt(index), 16777619);
  return ((hash >>> 0) % 1000) / 1000;
}

/** The events of [from, end), and the nights (from, end], in the order they happened. */
function demoEvents(history: SyntheticHistory, launchedAt: number | null, from: number, end: number): DemoEvent[] {
  const events: DemoEvent[] = [];
  for (let night = from + DAY; night <= end; night += DAY) events.push({ at: night, kind: "night" });
  if (launchedAt !== null && launchedAt >= from && launchedAt < end) events.push({ at: launchedAt, kind: "launch" });
  for (const customer of history.customers) {
    const at = customer.createdAt.getTime();
    if (launchedAt !== null && at >= launchedAt && at >= from) events.push({ at, kind: "customer", customer });
  }
  for (const { at, snapshot } of syntheticOrderEvents(history, new Date(from)))
    events.push({ at: at.getTime(), kind: "order", snapshot });
  if (launchedAt !== null) {
    for (const order of history.orders) {
      const at = order.processedAt.getTime() + DAY;
      if (order.customerShopifyId === null || order.test || order.processedAt.getTime() < launchedAt) continue;
      if (at >= from && at < end && demoDraw(`redeem:${order.shopifyId}`) < 0.35)
        events.push({
          at,
          kind: "redeem",
          orderShopifyId: order.shopifyId,
          customerShopifyId: order.customerShopifyId,
        });
    }
  }
  return events.sort((left, right) => left.at - right.at || KIND_ORDER[left.kind] - KIND_ORDER[right.kind]);
}

/** What the program's daily job would change on the night `at`: runDailyLoyalty, for the members it can change. */
async function runNight(tx: Tx, program: LoyaltyProgramState, at: Date): Promise<void> {
  const { settings } = program;
  const tiers = settings.tiers;
  const review =
    tiers !== null &&
    tiers.review !== "never" &&
    reviewPeriod(tiers.review, at.toISOString()) !==
      reviewPeriod(tiers.review, new Date(at.getTime() - 1).toISOString());
  // The job evaluates every member; replaying a year of nights that way would take minutes. Only
  // these can change: pending points, a birthday, a balance inactive for the expiry period (a
  // day's margin: the core decides), and on the first night of a review period, every tier.
  const expiryCutoff = settings.expiry ? new Date(at.getTime() - (settings.expiry.inactiveDays - 1) * DAY) : null;
  const due = await tx.$queryRaw<{ customerId: string }[]>`
    SELECT "customerId" FROM "LoyaltyAccount"
     WHERE "shopId" = ${program.shopId}
       AND ("pendingPoints" > 0 OR "birthday" IS NOT NULL OR "tierReviewedAt" IS NULL OR ${review}
            OR ("pointsBalance" > 0 AND "lastActivityAt" <= ${expiryCutoff}))
     ORDER BY "customerId"`;
  const today = at.toISOString().slice(0, 10);
  await changeLoyaltyAccounts(
    tx,
    program.shopId,
    due.map((member) => member.customerId),
    (state) => dailyChange(state, program.settings, today, at.toISOString()),
  );
}

interface Story {
  shopId: string;
  launchedAt: Date | null;
  program: LoyaltyProgramState | null;
  /** Customers (Shopify ids) with an account, and when each of this run's new members joined. */
  members: Set<bigint>;
  joined: Map<bigint, Date>;
}

function joins(story: Story, customer: bigint, at: Date): void {
  if (story.members.has(customer)) return;
  story.members.add(customer);
  story.joined.set(customer, at);
}

async function launchProgram(tx: Tx, story: Story, at: Date): Promise<void> {
  const settings = loyaltySettingsSchema.parse(DEMO_LOYALTY) as unknown as Prisma.InputJsonValue;
  await tx.loyaltyProgram.create({
    data: { shopId: story.shopId, enabled: true, settings, version: 1, launchedAt: at, updatedBy: "Demo setup" },
  });
  await tx.loyaltyProgramChange.create({
    data: { shopId: story.shopId, version: 1, enabled: true, settings, staffMember: "Demo setup", changedAt: at },
  });
  story.program = await loadLoyaltyProgram(tx, story.shopId);
  // Six in ten of the customers the store had then joined on the day, with the sign-up bonus.
  const customers = await tx.customer.findMany({
    where: { shopId: story.shopId },
    orderBy: { shopifyId: "asc" },
    select: { id: true, shopifyId: true },
  });
  const joining = customers.filter((customer) => demoDraw(`member:${customer.shopifyId}`) < 0.6);
  await welcomeNewMembers(
    tx,
    story.program,
    joining.map((customer) => ({ customerId: customer.id, at })),
  );
  for (const customer of joining) joins(story, customer.shopifyId, at);
}

type DayEvent = Extract<DemoEvent, { kind: "customer" | "order" | "redeem" }>;

// Whose rows an event changes: its customer's, or a guest order's own.
function eventKey(event: DayEvent): string {
  if (event.kind === "customer") return String(event.customer.shopifyId);
  if (event.kind === "redeem") return String(event.customerShopifyId);
  return String(event.snapshot.customer?.shopifyId ?? `order ${event.snapshot.shopifyId}`);
}

/**
 * One day's customers, orders and redemptions. Events of different customers commute (each
 * changes only its customer's rows); one customer's keep their order. So the day is applied in
 * rounds, every customer's first event, then every second one, and so on, each round in a few
 * statements rather than a few per event.
 */
async function applyDay(tx: Tx, story: Story, events: DayEvent[]): Promise<void> {
  const rounds: DayEvent[][] = [];
  const seen = new Map<string, number>();
  for (const event of events) {
    const key = eventKey(event);
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    (rounds[round] ??= []).push(event);
  }
  for (const round of rounds) await applyRound(tx, story, round);
}

async function applyRound(tx: Tx, story: Story, round: DayEvent[]): Promise<void> {
  const { shopId, program } = story;
  const created = round.filter((event) => event.kind === "customer");
  if (created.length > 0) {
    const ids = await upsertCustomers(
      tx,
      shopId,
      created.map((event) => syntheticCustomerSnapshot(event.customer)),
    );
    await welcomeNewMembers(
      tx,
      program,
      ids.map((customerId, index) => ({ customerId, at: new Date(created[index].at) })),
    );
    for (const event of created) joins(story, event.customer.shopifyId, new Date(event.at));
  }

  const orders = round.filter((event) => event.kind === "order");
  await applyOrderSnapshots(
    tx,
    shopId,
    orders.map((event) => event.snapshot),
  );
  if (program) {
    await applyOrdersLoyalty(
      tx,
      program,
      orders.map((event) => ({ shopifyId: event.snapshot.shopifyId, at: new Date(event.at) })),
    );
    // An order since the launch makes its customer a member (decision 008).
    for (const { snapshot, at } of orders)
      if (snapshot.customer && !snapshot.test && snapshot.processedAt >= story.launchedAt!)
        joins(story, snapshot.customer.shopifyId, new Date(at));
  }

  const redemptions = round.filter((event) => event.kind === "redeem");
  if (!program || redemptions.length === 0) return;
  const cost = program.settings.rewards.find((reward) => reward.id === DEMO_REWARD)!.pointsCost;
  // Only members who have the points can redeem: skip asking the others.
  const able = await tx.$queryRaw<{ customerId: string; shopifyId: bigint }[]>`
    SELECT a."customerId", c."shopifyId" FROM "LoyaltyAccount" AS a JOIN "Customer" AS c ON c."id" = a."customerId"
     WHERE a."shopId" = ${shopId} AND a."pointsBalance" >= ${cost}
       AND c."shopifyId" = ANY (${redemptions.map((event) => event.customerShopifyId)}::bigint[])`;
  const members = new Map(able.map((member) => [member.shopifyId, member.customerId]));
  for (const event of redemptions) {
    const customerId = members.get(event.customerShopifyId);
    if (!customerId) continue;
    // Redemption ids are unique across shops.
    const redemptionId = `demo-${shopId}-${event.orderShopifyId}`;
    const taken = await takeRewardPoints(
      tx,
      program,
      customerId,
      {
        redemptionId,
        code: `DEMO-${event.orderShopifyId.toString(36).toUpperCase()}`,
        rewardId: DEMO_REWARD,
        cartToken: redemptionId,
        cartSubtotalCents: 10_000,
      },
      new Date(event.at),
    );
    // Shopify's part: the code exists.
    if (taken.ok)
      await tx.redemption.update({
        where: { id: redemptionId },
        data: { status: "issued", shopifyDiscountId: `gid://shopify/DiscountCodeNode/${event.orderShopifyId}` },
      });
  }
}

/** Writes the history's days [from, end) in transactions of whole days, each recording how far it got. */
async function writeDemoHistory(
  shopId: string,
  history: SyntheticHistory,
  range: { openedAt: Date; from: Date; end: Date; loyalty: boolean },
): Promise<void> {
  const launchedAt = range.loyalty ? new Date(range.openedAt.getTime() + YEAR) : null;
  const events = demoEvents(history, launchedAt?.getTime() ?? null, range.from.getTime(), range.end.getTime());
  const members = await prisma.customer.findMany({
    where: { shopId, loyaltyAccount: { isNot: null } },
    select: { shopifyId: true },
  });
  const story: Story = {
    shopId,
    launchedAt,
    program: null,
    members: new Set(members.map((member) => member.shopifyId)),
    joined: new Map(),
  };
  let next = 0;
  while (next < events.length) {
    // Whole days: up to the first night after BATCH_EVENTS events (a night's job closes its day).
    let last = Math.min(next + BATCH_EVENTS, events.length) - 1;
    while (last < events.length - 1 && events[last].kind !== "night") last++;
    const batch = events.slice(next, last + 1);
    const through = new Date(batch.at(-1)!.at);
    await prisma.$transaction(
      async (tx) => {
        story.program = await loadLoyaltyProgram(tx, shopId);
        // PGlite runs no autovacuum: without fresh statistics the plans for the growing tables
        // make each order several times slower.
        await tx.$executeRaw`ANALYZE "Order", "Customer", "Refund", "LoyaltyAccount", "LedgerEntry", "LoyaltyOrder"`;
        let day: DayEvent[] = [];
        for (const event of batch) {
          if (event.kind !== "night" && event.kind !== "launch") {
            day.push(event);
            continue;
          }
          await applyDay(tx, story, day);
          day = [];
          if (event.kind === "launch") await launchProgram(tx, story, new Date(event.at));
          else if (story.program) await runNight(tx, story.program, new Date(event.at));
        }
        await applyDay(tx, story, day);
        if (story.joined.size > 0) {
          // Accounts are created with the database's clock; in the story they are as old as the
          // event that made them.
          await tx.$executeRaw`
            UPDATE "LoyaltyAccount" AS a SET "enrolledAt" = j.at
              FROM unnest(${[...story.joined.keys()]}::bigint[], ${[...story.joined.values()]}::timestamp[])
                   AS j(shopify_id, at)
              JOIN "Customer" AS c ON c."shopId" = ${shopId} AND c."shopifyId" = j.shopify_id
             WHERE a."customerId" = c."id"`;
        }
        await tx.demoStore.update({ where: { shopId }, data: { seededThrough: through } });
      },
      { timeout: 600_000, maxWait: 60_000 },
    );
    story.joined.clear();
    next = last + 1;
  }
}

// --- the demo's loyalty program ----------------------------------------------------------------

export const DEMO_LOYALTY: LoyaltySettingsInput = {
  earnRate: "1",
  availability: { when: "paid" },
  bonuses: { signUp: 100, birthday: 100, firstOrder: 50 },
  expiry: { inactiveDays: 365, warningDays: 30 },
  rewards: [
    { id: "five-off", name: "$5 off", pointsCost: 500, discount: { type: "fixedAmount", amount: "5.00" } },
    { id: "ten-percent", name: "10% off", pointsCost: 1000, discount: { type: "percentage", percent: 10 } },
    {
      id: "free-shipping",
      name: "Free shipping",
      pointsCost: 300,
      minimumOrder: "25.00",
      discount: { type: "freeShipping" },
    },
  ],
  tiers: {
    basis: "netSpend",
    window: "rolling12Months",
    review: "quarterly",
    levels: [
      { id: "bronze", name: "Bronze", threshold: "0" },
      { id: "silver", name: "Silver", threshold: "250", earnMultiplier: "1.25" },
      { id: "gold", name: "Gold", threshold: "750", earnMultiplier: "1.5" },
    ],
  },
  excludedCustomerTags: ["wholesale"],
};
