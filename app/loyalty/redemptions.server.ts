// Redeeming a reward: the points are taken (row lock: fifty concurrent requests never spend more
// than the balance) and the redemption recorded in one transaction; then Shopify is asked for a
// single-use code for that customer. If Shopify refuses, errors or times out and the code is
// confirmed absent, the points come back through a redemption refund keyed by the redemption,
// so they can come back only once.
import { randomInt, randomUUID } from "node:crypto";

import type { Prisma } from "@prisma/client";

import prisma from "~/db.server";
import {
  redeemReward,
  returnRedeemedPoints,
  type DiscountCodeRequest,
  type RedemptionRefusal,
  type RedemptionResult,
} from "~/core/loyalty";
import { centsToAmount } from "~/core/orders/net-revenue";
import { changeLoyaltyAccount, loadLoyaltyProgram, type LoyaltyProgramState, type Tx } from "~/loyalty/ledger.server";
import { ensureCustomerRow } from "~/loyalty/members.server";
import { config } from "~/platform/env.server";
import { AdminApiError, adminGraphql, requireNoUserErrors } from "~/platform/shopify-admin.server";

/** How long the shopper waits for Shopify before the points are given back (well inside a proxy's timeout). */
const discountTimeout = () => config().PERENNIAL_DISCOUNT_TIMEOUT_MS;

export type RedeemOutcome =
  | { ok: true; redemptionId: string; code: string; reward: { id: string; name: string }; pointsBalance: number }
  | { ok: false; status: 404 | 409 | 502; code: RedemptionRefusal | "programOff" | "discountFailed"; message: string };

// No 0/O or 1/I: shoppers copy these by hand too.
const CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
function newRewardCode(): string {
  const part = () => Array.from({ length: 4 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
  return `PRN-${part()}-${part()}`;
}

const CREATE_BASIC = `#graphql
  mutation RewardCode($discount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $discount) {
      codeDiscountNode { id }
      userErrors { field code message }
    }
  }`;

const CREATE_FREE_SHIPPING = `#graphql
  mutation RewardShippingCode($discount: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $discount) {
      codeDiscountNode { id }
      userErrors { field code message }
    }
  }`;

const FIND_CODE = `#graphql
  query RewardCodeByCode($code: String!) { codeDiscountNodeByCode(code: $code) { id } }`;

interface MutationPayload {
  codeDiscountNode: { id: string } | null;
  userErrors: { field: string[] | null; code: string | null; message: string }[];
}

/** The discount input Shopify documents for a single-use, one-customer code. */
export function discountInput(request: DiscountCodeRequest, customerShopifyId: bigint, now: Date) {
  const common = {
    title: `Perennial reward: ${request.rewardName} (${request.code})`,
    code: request.code,
    startsAt: now.toISOString(),
    context: { customers: { add: [`gid://shopify/Customer/${customerShopifyId}`] } },
    usageLimit: request.usageLimit,
    appliesOncePerCustomer: true,
    minimumRequirement:
      request.minimumOrderCents > 0
        ? { subtotal: { greaterThanOrEqualToSubtotal: centsToAmount(request.minimumOrderCents) } }
        : null,
  };
  const discount = request.discount;
  if (discount.type === "freeShipping") {
    return {
      mutation: CREATE_FREE_SHIPPING,
      field: "discountCodeFreeShippingCreate" as const,
      input: { ...common, destination: { all: true }, combinesWith: { productDiscounts: true, orderDiscounts: true } },
    };
  }
  const value =
    discount.type === "percentage"
      ? { percentage: discount.percent / 100 }
      : { discountAmount: { amount: centsToAmount(discount.amountCents), appliesOnEachItem: false } };
  return {
    mutation: CREATE_BASIC,
    field: "discountCodeBasicCreate" as const,
    input: {
      ...common,
      customerGets: { value, items: { all: true } },
      // One Perennial reward per order: never combined with another order discount.
      combinesWith: { productDiscounts: true, orderDiscounts: false, shippingDiscounts: true },
    },
  };
}

type ShopifyAnswer =
  { kind: "created"; discountId: string } | { kind: "refused"; message: string } | { kind: "unknown"; message: string };

/**
 * Shopify refused (graphql errors with nothing run, userErrors, still throttled: the mutation did
 * not run) or the answer is unknown (a timeout, a dropped connection, a 5xx, graphql errors beside
 * a partial answer: the code may exist; look it up).
 */
function answerOfError(error: unknown): ShopifyAnswer {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof AdminApiError)) return { kind: "unknown", message };
  const refused =
    error.kind === "userErrors" ||
    error.kind === "throttled" ||
    (error.kind === "graphql" && error.partialData == null);
  return { kind: refused ? "refused" : "unknown", message };
}

async function createDiscountCode(
  shopDomain: string,
  request: DiscountCodeRequest,
  customerShopifyId: bigint,
): Promise<ShopifyAnswer> {
  const { mutation, field, input } = discountInput(request, customerShopifyId, new Date());
  try {
    // No retry after a 5xx: the code may have been created; the lookup decides. No pacing: the
    // shopper is waiting, and a throttled next call is retried anyway.
    const data = await adminGraphql<Record<string, MutationPayload | null>>(
      shopDomain,
      mutation,
      { discount: input },
      { timeoutMs: discountTimeout(), retries: 0, pace: false },
    );
    const payload = requireNoUserErrors(field, data[field]);
    if (payload.codeDiscountNode) return { kind: "created", discountId: payload.codeDiscountNode.id };
    return { kind: "refused", message: `${field}: no discount and no userErrors` };
  } catch (error) {
    return answerOfError(error);
  }
}

async function findDiscountCode(shopDomain: string, code: string): Promise<string | null | "unknown"> {
  try {
    const data = await adminGraphql<{ codeDiscountNodeByCode: { id: string } | null }>(
      shopDomain,
      FIND_CODE,
      { code },
      { timeoutMs: discountTimeout(), retries: 1, pace: false },
    );
    return data.codeDiscountNodeByCode?.id ?? null;
  } catch {
    return "unknown";
  }
}

export interface RedeemInput {
  rewardId: string;
  cartToken?: string | null;
  cartSubtotalCents?: number | null;
}

/**
 * The first half of a redemption, in the caller's transaction: the points taken and the
 * redemption recorded as pending, its code still to be created in Shopify. A refusal (not enough
 * points, an unknown reward, …) changes nothing.
 */
export async function takeRewardPoints(
  tx: Tx,
  program: LoyaltyProgramState,
  customerId: string,
  input: RedeemInput & { redemptionId: string; code: string },
  at: Date,
): Promise<
  Extract<RedemptionResult, { ok: false }> | { ok: true; request: DiscountCodeRequest; pointsBalance: number }
> {
  const { redemptionId, code } = input;
  const { state, result } = await changeLoyaltyAccount(tx, program.shopId, customerId, (current) => {
    const redeemed = redeemReward(
      current,
      program.settings,
      {
        redemptionId,
        rewardId: input.rewardId,
        code,
        // Without a cart the reward is for the shopper's next order; Shopify enforces the minimum.
        cartToken: input.cartToken || `redemption:${redemptionId}`,
        cartSubtotalCents: input.cartSubtotalCents ?? Number.MAX_SAFE_INTEGER,
      },
      at.toISOString(),
    );
    return { change: redeemed.ok ? redeemed.change : null, result: redeemed as RedemptionResult };
  });
  if (!result.ok) return result;
  const request = result.codeRequest;
  await tx.redemption.create({
    data: {
      id: redemptionId,
      shopId: program.shopId,
      customerId,
      rewardId: request.rewardId,
      rewardName: request.rewardName,
      pointsCost: program.settings.rewards.find((reward) => reward.id === request.rewardId)?.pointsCost ?? 0,
      code,
      status: "pending",
      request: request as unknown as Prisma.InputJsonValue,
      createdAt: at,
    },
  });
  return { ok: true, request, pointsBalance: state.account.pointsBalance };
}

export async function redeemForCustomer(
  shopDomain: string,
  customerShopifyId: bigint,
  input: RedeemInput,
  now: () => Date = () => new Date(),
): Promise<RedeemOutcome> {
  const shop = await prisma.shop.findUnique({ where: { shopDomain }, select: { id: true } });
  const program = shop ? await loadLoyaltyProgram(prisma, shop.id) : null;
  if (!shop || !program?.enabled)
    return { ok: false, status: 404, code: "programOff", message: "This store has no rewards program right now." };
  const customerId = await ensureCustomerRow(prisma, shop.id, customerShopifyId);
  const redemptionId = randomUUID();
  const code = newRewardCode();

  const taken = await prisma.$transaction((tx) =>
    takeRewardPoints(tx, program, customerId, { redemptionId, code, ...input }, now()),
  );
  if (!taken.ok) return { ok: false, status: 409, code: taken.refusal, message: taken.message };

  let answer = await createDiscountCode(shopDomain, taken.request, customerShopifyId);
  if (answer.kind === "unknown") {
    const found = await findDiscountCode(shopDomain, code);
    if (typeof found === "string" && found !== "unknown") answer = { kind: "created", discountId: found };
  }
  if (answer.kind === "created") {
    await prisma.redemption.update({
      where: { id: redemptionId },
      data: { status: "issued", shopifyDiscountId: answer.discountId },
    });
    return {
      ok: true,
      redemptionId,
      code,
      reward: { id: taken.request.rewardId, name: taken.request.rewardName },
      pointsBalance: taken.pointsBalance,
    };
  }
  const reason = answer.kind === "refused" ? "codeCreationFailed" : "codeCreationTimedOut";
  console.warn(`[loyalty] reward code for ${shopDomain} failed (${reason}): ${answer.message}`);
  await prisma.$transaction(async (tx) => {
    await changeLoyaltyAccount(tx, shop.id, customerId, (state) => ({
      change: returnRedeemedPoints(state, { redemptionId, reason }, now().toISOString()),
      result: null,
    }));
    await tx.redemption.update({ where: { id: redemptionId }, data: { status: "failed", error: answer.message } });
  });
  return {
    ok: false,
    status: 502,
    code: "discountFailed",
    message: "We couldn't create your discount code just now. Your points are back in your balance; please try again.",
  };
}
