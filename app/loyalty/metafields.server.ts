// Writes what themes render with no request at all: each member's balance and status as customer
// metafields ($app:points_balance, $app:loyalty_status) and the program as an app-data metafield
// (perennial.program on the app installation). A minutely job writes the members whose status
// changed since their last write (statusVersion ≠ metafieldVersion, a partial index), 12 members
// (25 metafields at most) per call; the shared Admin client retries THROTTLED and paces on the cost.
import prisma from "~/db.server";
import { loadLoyaltyProgram, readLoyaltyState } from "~/loyalty/ledger.server";
import { loyaltyStatus, rewardView } from "~/loyalty/shopper.server";
import { adminRequest, requireNoUserErrors, type Sleep } from "~/platform/shopify-admin.server";

const SET_METAFIELDS = `#graphql
  mutation SetLoyaltyMetafields($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { id }
      userErrors { field message code }
    }
  }`;

const APP_INSTALLATION = `#graphql
  query LoyaltyAppInstallation { currentAppInstallation { id } }`;

const MEMBERS_PER_CALL = 12;

export type { Sleep };

/** One Admin API call through the shared client: it retries THROTTLED and paces itself on the cost. */
const throttledCall = <Data>(shopDomain: string, query: string, variables: Record<string, unknown>, sleep?: Sleep) =>
  adminRequest<Data>(shopDomain, query, variables, { sleep });

interface SetResult {
  metafieldsSet: { userErrors: { field: string[] | null; message: string }[] } | null;
}

/** Writes the due members' metafields for one shop; returns how many were written. */
export async function writeMemberMetafields(
  shopDomain: string,
  options: { sleep?: Sleep; now?: Date; limit?: number } = {},
): Promise<number> {
  const sleep = options.sleep;
  const shop = await prisma.shop.findUnique({ where: { shopDomain }, select: { id: true, isActive: true } });
  if (!shop?.isActive) return 0;
  const program = await loadLoyaltyProgram(prisma, shop.id);
  if (!program) return 0;
  let written = 0;
  const limit = options.limit ?? Infinity;
  while (written < limit) {
    const due = await prisma.$queryRaw<{ customerId: string; statusVersion: number; shopifyId: bigint }[]>`
      SELECT a."customerId", a."statusVersion", c."shopifyId"
        FROM "LoyaltyAccount" AS a JOIN "Customer" AS c ON c."id" = a."customerId"
       WHERE a."shopId" = ${shop.id} AND a."statusVersion" <> a."metafieldVersion"
       LIMIT ${MEMBERS_PER_CALL}`;
    if (due.length === 0) break;
    const at = options.now ?? new Date();
    const metafields = [];
    for (const member of due) {
      const state = await readLoyaltyState(prisma, shop.id, member.customerId);
      const status = loyaltyStatus(state, program.settings, at);
      const ownerId = `gid://shopify/Customer/${member.shopifyId}`;
      metafields.push(
        {
          ownerId,
          namespace: "$app",
          key: "points_balance",
          type: "number_integer",
          value: String(status.pointsBalance),
        },
        {
          ownerId,
          namespace: "$app",
          key: "loyalty_status",
          type: "json",
          value: JSON.stringify({
            pointsBalance: status.pointsBalance,
            pendingPoints: status.pendingPoints,
            tier: status.tier ? { id: status.tier.id, name: status.tier.name } : null,
            nextTier: status.nextTier
              ? {
                  name: status.nextTier.name,
                  unit: status.nextTier.unit,
                  remaining: status.nextTier.remaining,
                  progress: status.nextTier.progress,
                }
              : null,
            expiring: status.expiring ? { points: status.expiring.points, on: status.expiring.on.slice(0, 10) } : null,
            updatedAt: at.toISOString(),
          }),
        },
      );
    }
    const { data } = await throttledCall<SetResult>(shopDomain, SET_METAFIELDS, { metafields }, sleep);
    requireNoUserErrors("metafieldsSet", data.metafieldsSet);
    // Mark the version written; a change made meanwhile bumped statusVersion, so it stays due.
    for (const member of due)
      await prisma.loyaltyAccount.updateMany({
        where: { customerId: member.customerId, statusVersion: member.statusVersion },
        data: { metafieldVersion: member.statusVersion },
      });
    written += due.length;
  }
  return written;
}

/** The program as themes read it (app.metafields.perennial.program in Liquid). */
export async function writeProgramMetafield(shopDomain: string, options: { sleep?: Sleep } = {}): Promise<void> {
  const sleep = options.sleep;
  const shop = await prisma.shop.findUnique({ where: { shopDomain }, select: { id: true, currencyCode: true } });
  if (!shop) return;
  const program = await loadLoyaltyProgram(prisma, shop.id);
  if (!program) return;
  const { settings } = program;
  const { data: installation } = await throttledCall<{ currentAppInstallation: { id: string } }>(
    shopDomain,
    APP_INSTALLATION,
    {},
    sleep,
  );
  const value = {
    enabled: program.enabled,
    currencyCode: shop.currencyCode,
    earn: { pointsPerCurrencyUnit: settings.earnRate },
    bonuses: settings.bonuses,
    rewards: settings.rewards.map(rewardView),
    tiers: settings.tiers
      ? {
          basis: settings.tiers.basis,
          levels: settings.tiers.levels.map((level) => ({
            id: level.id,
            name: level.name,
            threshold: level.threshold,
            earnMultiplier: level.earnMultiplier,
          })),
        }
      : null,
  };
  const { data } = await throttledCall<SetResult>(
    shopDomain,
    SET_METAFIELDS,
    {
      metafields: [
        {
          ownerId: installation.currentAppInstallation.id,
          namespace: "perennial",
          key: "program",
          type: "json",
          value: JSON.stringify(value),
        },
      ],
    },
    sleep,
  );
  requireNoUserErrors("metafieldsSet", data.metafieldsSet);
}

/** Shops with members whose storefront status is behind (the partial index answers this). */
export async function shopsWithDueMetafields(): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ shopDomain: string }[]>`
    SELECT s."shopDomain" FROM "Shop" AS s
     WHERE s."isActive" AND EXISTS (SELECT 1 FROM "LoyaltyAccount" AS a
                                     WHERE a."shopId" = s."id" AND a."statusVersion" <> a."metafieldVersion")`;
  return rows.map((row) => row.shopDomain);
}
