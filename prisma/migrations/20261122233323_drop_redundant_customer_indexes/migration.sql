-- DropIndex
DROP INDEX "Customer_shopId_lastOrderAt_idx";

-- DropIndex
DROP INDEX "Customer_shopId_predictedClv365d_idx";

