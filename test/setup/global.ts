// Runs once, in the main process, before any test file.
import { buildIfStale } from "../../scripts/lib/build";

const DAY = 86_400_000;

// The database's clock: the PostgreSQL server's, or an embedded PGlite's (in this process).
async function databaseNow(): Promise<number> {
  if (process.env.DATABASE_URL) {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      return (await client.query<{ now: Date }>("SELECT now() AS now")).rows[0].now.getTime();
    } finally {
      await client.end();
    }
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const database = new PGlite();
  try {
    return (await database.query<{ now: Date }>("SELECT now() AS now")).rows[0].now.getTime();
  } finally {
    await database.close();
  }
}

// Under scripts/shifted-clock.sh: a run whose clocks did not move would prove nothing.
async function checkShiftedClocks(): Promise<void> {
  const days = Number(process.env.PERENNIAL_CLOCK_SHIFT_DAYS);
  if (!days) return;
  const realNow = Number(process.env.PERENNIAL_REAL_NOW_MS);
  const clocks = { "test process": Date.now(), database: await databaseNow() };
  for (const [name, now] of Object.entries(clocks)) {
    const shifted = (now - realNow) / DAY;
    if (Math.abs(shifted - days) > 1)
      throw new Error(`The ${name}'s clock is ${shifted.toFixed(2)} days ahead, not ${days}: is faketime working?`);
  }
  const shown = Object.entries(clocks).map(([name, now]) => `${name} ${new Date(now).toISOString()}`);
  console.log(`Clocks moved ${days} days ahead: ${shown.join(", ")}`);
}

export default async function setup(): Promise<void> {
  console.log(process.env.DATABASE_URL ? "Tests use PostgreSQL at DATABASE_URL" : "Tests use embedded PGlite");
  await checkShiftedClocks();
  // The browser tests serve the production build. Each would build it when stale, and on a
  // fresh clone several test files at once would write the same build folder: build it here.
  buildIfStale();
}
