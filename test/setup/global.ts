// Runs once before all test files.
export default function setup(): void {
  console.log(process.env.DATABASE_URL ? "Tests use PostgreSQL at DATABASE_URL" : "Tests use embedded PGlite");
}
