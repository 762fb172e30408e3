// Test configuration: a Shopify app that exists only here, on an in-memory embedded database per
// test file; or, when DATABASE_URL is set, one database per vitest worker on that PostgreSQL server.
import pg from "pg";

import { applyMigrations } from "../../app/platform/migrate.server";

process.env.NODE_ENV = "test";
process.env.SHOPIFY_API_KEY ??= "perennial-test-api-key";
process.env.SHOPIFY_API_SECRET ??= "perennial-test-api-secret";
process.env.SHOPIFY_APP_URL ??= "https://perennial.test";
process.env.SCOPES ??= "read_all_orders,read_customers,read_discounts,read_orders,write_customers,write_discounts";
process.env.PERENNIAL_DATA_DIR = "memory://";

const serverUrl = process.env.DATABASE_URL;
if (serverUrl && !process.env.PERENNIAL_TEST_DATABASE_READY) {
  const database = `perennial_test_${process.env.VITEST_POOL_ID ?? "0"}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
  if (!rowCount) await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  process.env.DATABASE_URL = url.toString();
  process.env.PERENNIAL_TEST_DATABASE_READY = "1";
  await applyMigrations(process.env.DATABASE_URL);
}
