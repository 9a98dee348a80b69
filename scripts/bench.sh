#!/usr/bin/env bash
# Benchmarks: the customer queries over a million customers, and the rankings and lists over a
# million opportunities, on SQLite and PostgreSQL.
#   scripts/bench.sh [sqlite] [postgres]     (BENCH_ROWS=… to change the size)
# The first run loads the rows (minutes); later runs reuse the bench databases.
source "$(dirname "$0")/tools.sh"
ensure_postgres
cd "$ROOT"
cargo bench -p server --bench customers -- "$@"
cargo bench -p server --bench opportunities -- "$@"
