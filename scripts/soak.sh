#!/usr/bin/env bash
# The soak (#19; never in CI): simulated people, each with their own session, browsing, filing
# and deciding with a think time of 1–3 s, for minutes on the generated province (see
# bench-http.sh, which this runs): errors, answers over a second and the servers' memory.
#   scripts/soak.sh [sqlite|postgres] [sessions=500] [minutes=10] [instances=1] [ramp=60]
# With instances > 1 the servers share the database (PostgreSQL for live events across them)
# and core 1; each person keeps to one of them, in turn. The people arrive one after another
# over the first `ramp` seconds (0: all in the same second or two; BENCHMARKS.md has both).
export BENCH_SOAK_USERS="${2:-500}"
export BENCH_SOAK_SECONDS=$(( ${3:-10} * 60 ))
export BENCH_INSTANCES="${4:-1}"
export BENCH_SOAK_RAMP="${5:-60}"
exec "$(dirname "${BASH_SOURCE[0]}")/bench-http.sh" "${1:-sqlite}"
