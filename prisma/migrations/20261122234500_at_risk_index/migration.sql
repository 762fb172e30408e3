-- The Customers list's "at risk" filter (CLV percentile >= 70, P(alive) < 0.5; see
-- app/services/customers-list.server.ts) in its default order, newest last order first. Only a
-- few percent of customers are at risk, and they tend to have older last orders, so walking the
-- general (shopId, lastOrderAt, id) index to find a page of them read ~80,000 rows at 1M
-- customers (bench:admin). Prisma's schema cannot declare a partial index: it lives here.
CREATE INDEX "Customer_atRisk_shopId_lastOrderAt_id_idx" ON "Customer" ("shopId", "lastOrderAt", "id")
  WHERE "clvPercentile" >= 70 AND "probabilityAlive" < 0.5;
