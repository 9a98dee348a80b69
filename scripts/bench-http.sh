#!/usr/bin/env bash
# Every role's pages over HTTP on a generated province (server/benches/http.rs): builds the
# release server and the generator, generates the province once into target/bench (a million
# opportunities: minutes; kept for later runs), then measures on a copy of it with the server
# pinned to core 1 and the load generator to core 0. Results: docs/BENCHMARKS.md.
#   scripts/bench-http.sh [sqlite|postgres]
# BENCH_OPPORTUNITIES / BENCH_CUSTOMERS / BENCH_USERS size the province; BENCH_RUNS,
# BENCH_SECONDS, BENCH_DECISIONS, BENCH_FILINGS, BENCH_USERS shape the run.
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
cd "$ROOT"
export LEPTOS_OUTPUT_NAME=bizopp
backend="${1:-sqlite}"
mkdir -p target/bench

say "building the release server, the generator and the bench"
# One release build for all three (`cargo bench` would build the server library again in
# its own profile).
bench="$(cargo build --release -p server --bins --bench http --message-format=json |
  python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "http" and m.get("executable"):
        print(m["executable"])')"
[ -x "$bench" ] || { echo "the bench did not build" >&2; exit 1; }

size=(--opportunities "${BENCH_OPPORTUNITIES:-1000000}" --customers "${BENCH_CUSTOMERS:-200000}"
  --users "${BENCH_PROVINCE_USERS:-5000}")
if [ "$backend" = postgres ]; then
  ensure_postgres
  url="postgres://postgres@127.0.0.1:5432/bizopp_province"
  if ! psql -qAt -h 127.0.0.1 -U postgres -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'bizopp_province'" | grep -q 1; then
    say "generating the province on PostgreSQL"
    target/release/province "$url" "${size[@]}"
  fi
else
  url="sqlite://$ROOT/target/bench/province.db"
  if [ ! -f target/bench/province.db ]; then
    say "generating the province on SQLite"
    target/release/province "$url" "${size[@]}"
  fi
fi

say "measuring on a copy of $url"
BENCH_DATABASE="$url" "$bench" --bench
