-- Loyalty results (app/services/loyalty-results.server.ts, docs/loyalty-results.md): the ledger's
-- sums per UTC day and kind, and the members/non-members comparison, precomputed so the results
-- page never sums millions of ledger entries or customers in a request. A refresh replaces a
-- shop's rows in one transaction; the page adds the few entries since `coversBefore` live.
-- Read and written with SQL only (no Prisma model): nothing else uses them.

CREATE TABLE "LoyaltyResultsDay" (
    "shopId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "kind" TEXT NOT NULL,
    -- Per entry, net = points + pendingPoints - owedPoints: what it did to the member's worth.
    "gained" BIGINT NOT NULL,
    "lost" BIGINT NOT NULL,
    "points" BIGINT NOT NULL,
    "pendingPoints" BIGINT NOT NULL,
    "owedPoints" BIGINT NOT NULL,
    "entries" INTEGER NOT NULL,

    CONSTRAINT "LoyaltyResultsDay_pkey" PRIMARY KEY ("shopId", "day", "kind"),
    CONSTRAINT "LoyaltyResultsDay_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "LoyaltyResults" (
    "shopId" TEXT NOT NULL,
    -- The day rows hold every entry that occurred before this time and was committed when the
    -- refresh ran; entries from this time on are added when the page is read.
    "coversBefore" TIMESTAMP(3) NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "members" INTEGER NOT NULL,
    -- Members and non-members with at least one order: customers, repeat customers, net revenue,
    -- scored customers and their predicted CLV.
    "comparison" JSONB NOT NULL,

    CONSTRAINT "LoyaltyResults_pkey" PRIMARY KEY ("shopId"),
    CONSTRAINT "LoyaltyResults_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
