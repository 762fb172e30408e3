// `npm run loyalty:audit [-- --shop SHOP]`: checks that every loyalty balance equals the sum of its
// ledger entries and that nothing is negative. Prints JSON; exits 1 when anything is off.
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { shop: { type: "string" } } });
const { auditLoyalty } = await import("../app/loyalty/audit.server");
const { default: prisma } = await import("../app/db.server");
const audit = await auditLoyalty(values.shop);
console.log(JSON.stringify({ ...audit, ok: audit.drifted.length === 0 && audit.negative === 0 }, null, 2));
await prisma.$disconnect();
process.exit(audit.drifted.length === 0 && audit.negative === 0 ? 0 : 1);
