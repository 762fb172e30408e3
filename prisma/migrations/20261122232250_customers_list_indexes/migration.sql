-- CreateIndex
CREATE INDEX "Customer_shopId_lastOrderAt_id_idx" ON "Customer"("shopId", "lastOrderAt", "id");

-- CreateIndex
CREATE INDEX "Customer_shopId_predictedClv365d_id_idx" ON "Customer"("shopId", "predictedClv365d", "id");

-- CreateIndex
CREATE INDEX "Customer_shopId_probabilityAlive_id_idx" ON "Customer"("shopId", "probabilityAlive", "id");

-- CreateIndex
CREATE INDEX "Customer_shopId_ordersCount_id_idx" ON "Customer"("shopId", "ordersCount", "id");

-- CreateIndex
CREATE INDEX "Customer_shopId_netRevenue_id_idx" ON "Customer"("shopId", "netRevenue", "id");

