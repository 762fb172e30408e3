#!/usr/bin/env bash
# Runs a command with the clock moved <days> ahead, for the command and every process it starts:
# Node (and the embedded PGlite inside it), and a PostgreSQL server started by with-postgres.sh.
# No test may depend on today's date (issue 11); CI runs the tests this way as well. The tests'
# global setup checks that their clock and the database's really moved.
# Usage: scripts/shifted-clock.sh <days> <command> [args…]
set -euo pipefail

days=${1:?usage: scripts/shifted-clock.sh <days> <command> [args…]}
shift
if ! command -v faketime >/dev/null; then
  echo "faketime is not installed: apt-get install faketime" >&2
  exit 1
fi
export PERENNIAL_CLOCK_SHIFT_DAYS=$days
PERENNIAL_REAL_NOW_MS=$(date +%s%3N)
export PERENNIAL_REAL_NOW_MS
exec faketime -f "+${days}d" "$@"
