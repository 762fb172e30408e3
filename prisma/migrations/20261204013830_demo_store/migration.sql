-- CreateTable
CREATE TABLE "DemoStore" (
    "shopId" TEXT NOT NULL,
    "seed" INTEGER NOT NULL,
    "customers" INTEGER NOT NULL,
    "loyalty" BOOLEAN NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL,
    "seededThrough" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DemoStore_pkey" PRIMARY KEY ("shopId")
);

-- AddForeignKey
ALTER TABLE "DemoStore" ADD CONSTRAINT "DemoStore_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

