#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL server (Debian's packages) on 127.0.0.1, with
# DATABASE_URL pointing at it; the server and its data directory are removed afterwards.
# Usage: scripts/with-postgres.sh <command> [args…]
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ]; then
  echo "PostgreSQL is not installed: apt-get install postgresql" >&2
  exit 1
fi

datadir=$(mktemp -d /tmp/perennial-pg.XXXXXX)
port=${PGPORT_FOR_TESTS:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')}
as_postgres=()
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root.
  chown postgres:postgres "$datadir"
  as_postgres=(runuser -u postgres --)
fi

cleanup() {
  "${as_postgres[@]}" "$bindir/pg_ctl" -D "$datadir" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$datadir"
}
trap cleanup EXIT

"${as_postgres[@]}" "$bindir/initdb" -D "$datadir" -U postgres --auth=trust --no-sync >/dev/null
"${as_postgres[@]}" "$bindir/pg_ctl" -D "$datadir" -l "$datadir/server.log" -w \
  -o "-h 127.0.0.1 -p $port -k $datadir -c fsync=off -c synchronous_commit=off -c max_connections=200" start >/dev/null

export DATABASE_URL="postgresql://postgres@127.0.0.1:$port/postgres"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
"$@"
