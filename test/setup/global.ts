// Runs once, in the main process, before any test file.
import { buildIfStale } from "../../scripts/lib/build";

export default function setup(): void {
  console.log(process.env.DATABASE_URL ? "Tests use PostgreSQL at DATABASE_URL" : "Tests use embedded PGlite");
  // The browser tests serve the production build. Each would build it when stale, and on a
  // fresh clone several test files at once would write the same build folder: build it here.
  buildIfStale();
}
