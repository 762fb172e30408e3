// The ledger audit: every account's cached sums against the sums of its entries, in SQL over the
// whole shop (or every shop), plus the rules the database also enforces (nothing negative, no
// duplicate keys). `npm run loyalty:audit` prints it; a test breaks an account on purpose.
import prisma from "~/db.server";

export interface AccountDrift {
  shopDomain: string;
  customerId: string;
  cached: { pointsBalance: number; pendingPoints: number; owedPoints: number };
  ledger: { pointsBalance: number; pendingPoints: number; owedPoints: number };
}

export interface LoyaltyAudit {
  accounts: number;
  entries: number;
  drifted: AccountDrift[];
  negative: number;
}

export async function auditLoyalty(shopDomain?: string): Promise<LoyaltyAudit> {
  const shopFilter = shopDomain ?? null;
  const rows = await prisma.$queryRaw<
    {
      shopDomain: string;
      customerId: string;
      pointsBalance: number;
      pendingPoints: number;
      owedPoints: number;
      ledgerPoints: bigint;
      ledgerPending: bigint;
      ledgerOwed: bigint;
    }[]
  >`
    SELECT s."shopDomain", a."customerId", a."pointsBalance", a."pendingPoints", a."owedPoints",
           coalesce(e.points, 0) AS "ledgerPoints", coalesce(e.pending, 0) AS "ledgerPending",
           coalesce(e.owed, 0) AS "ledgerOwed"
      FROM "LoyaltyAccount" AS a
      JOIN "Shop" AS s ON s."id" = a."shopId"
      LEFT JOIN (SELECT "customerId", sum("points") AS points, sum("pendingPoints") AS pending,
                        sum("owedPoints") AS owed
                   FROM "LedgerEntry" GROUP BY "customerId") AS e ON e."customerId" = a."customerId"
     WHERE (${shopFilter}::text IS NULL OR s."shopDomain" = ${shopFilter}::text)
       AND (a."pointsBalance", a."pendingPoints", a."owedPoints")
           IS DISTINCT FROM (coalesce(e.points, 0)::int, coalesce(e.pending, 0)::int, coalesce(e.owed, 0)::int)`;
  const [totals] = await prisma.$queryRaw<{ accounts: bigint; entries: bigint; negative: bigint }[]>`
    SELECT (SELECT count(*) FROM "LoyaltyAccount" a JOIN "Shop" s ON s."id" = a."shopId"
             WHERE ${shopFilter}::text IS NULL OR s."shopDomain" = ${shopFilter}::text) AS accounts,
           (SELECT count(*) FROM "LedgerEntry" e JOIN "Shop" s ON s."id" = e."shopId"
             WHERE ${shopFilter}::text IS NULL OR s."shopDomain" = ${shopFilter}::text) AS entries,
           (SELECT count(*) FROM "LoyaltyAccount" a JOIN "Shop" s ON s."id" = a."shopId"
             WHERE (${shopFilter}::text IS NULL OR s."shopDomain" = ${shopFilter}::text)
               AND ("pointsBalance" < 0 OR "pendingPoints" < 0 OR "owedPoints" < 0)) AS negative`;
  return {
    accounts: Number(totals.accounts),
    entries: Number(totals.entries),
    negative: Number(totals.negative),
    drifted: rows.map((row) => ({
      shopDomain: row.shopDomain,
      customerId: row.customerId,
      cached: { pointsBalance: row.pointsBalance, pendingPoints: row.pendingPoints, owedPoints: row.owedPoints },
      ledger: {
        pointsBalance: Number(row.ledgerPoints),
        pendingPoints: Number(row.ledgerPending),
        owedPoints: Number(row.ledgerOwed),
      },
    })),
  };
}
