#!/usr/bin/env bash
# A load on the release server's pages with real sessions: the pages of every role, requested
# first one after another on one keep-alive connection (10 s), then by LOAD_CONNECTIONS (32)
# connections for LOAD_SECONDS (60), from wrk, on a fresh SQLite demo database. Prints wrk's
# summaries (requests, latency percentiles, the slowest, errors; a page that takes over 10 s
# counts as a timeout) and how many errors the server logged. Shows that no page render
# stalls under load (issue #13).
#   scripts/load.sh
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
cd "$ROOT"
apt_install wrk

say "building the release server"
cargo build -q --release -p server --bin server

work="$(mktemp -d)"
port="${LOAD_PORT:-3100}"
say "serving a fresh demo database on :$port (log: $work/server.log)"
DATABASE_URL="sqlite://$work/load.db" LEPTOS_OUTPUT_NAME=bizopp LEPTOS_SITE_ROOT=target/site \
  LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=info \
  target/release/server >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 1
done

say "server memory at rest (demo data seeded): $(($(ps -o rss= -p "$server") / 1024)) MB resident"
cookies=()
for login in admin prov_gm prov_vp prov_am1 sjz_am1 sjz_am2 sjz_vp1 sjz_gm bd_am1 bd_vp1 ind_gov; do
  cookie="$(curl -s -o /dev/null -D - -H "Origin: http://127.0.0.1:$port" \
    --data-urlencode "login=$login" --data-urlencode 'password=Demo@2026!' \
    "http://127.0.0.1:$port/login" | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -n 1)"
  [ -n "$cookie" ] || { echo "login failed for $login" >&2; exit 1; }
  cookies+=("$cookie")
done

say "one keep-alive connection, sequential requests, 10 s"
wrk -t 1 -c 1 -d 10s --timeout 10s -s scripts/load.lua "http://127.0.0.1:$port" -- "${cookies[@]}"

say "loading: ${LOAD_CONNECTIONS:-32} connections, ${LOAD_SECONDS:-60} s, ${#cookies[@]} users"
wrk -t 2 -c "${LOAD_CONNECTIONS:-32}" -d "${LOAD_SECONDS:-60}s" --timeout 10s \
  -s scripts/load.lua "http://127.0.0.1:$port" -- "${cookies[@]}"
say "server memory after the load: $(($(ps -o rss= -p "$server") / 1024)) MB resident"
say "server log: $(grep -c ' ERROR ' "$work/server.log" || true) errors"
