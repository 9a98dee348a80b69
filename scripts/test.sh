#!/usr/bin/env bash
# Installs what is missing, then runs every test: formatting and lints, unit tests, the
# integration suite on SQLite and on PostgreSQL, and the browser tests in Debian's Chromium
# against the real server. Fails (never skips) when PostgreSQL cannot be reached.
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
cd "$ROOT"
# As cargo-leptos sets it, so `cargo test` and `cargo leptos build` share compiled crates.
export LEPTOS_OUTPUT_NAME=bizopp
# A test run starts from what is committed: incremental caches would only take disk.
export CARGO_INCREMENTAL=0

ensure_wasm_target
ensure_cargo_leptos
ensure_wasm_bindgen
ensure_chromium
ensure_e2e_packages
ensure_postgres

say "formatting and lints"
cargo fmt --all -- --check
cargo clippy -q -p app -p server --all-targets -- -D warnings
cargo clippy -q -p frontend --target wasm32-unknown-unknown -- -D warnings

say "pages read their address through app::query (leptos_router 0.8 decodes it twice)"
if grep -rn "use_query_map\|use_query::<" app/src --include=*.rs | grep -v "^app/src/query.rs:"; then
  echo "use crate::query::use_query instead" >&2
  exit 1
fi

say "no server crate in the browser bundle"
if cargo tree -p frontend --target wasm32-unknown-unknown -e normal --prefix none |
  grep -E '^(sqlx|argon2|axum|tokio|leptos_axum) '; then
  echo "a server-only crate reaches the WASM bundle" >&2
  exit 1
fi

say "unit and integration tests (SQLite and PostgreSQL)"
# Databases left by an earlier, interrupted run.
drop_test_databases() {
  psql -qAt -h 127.0.0.1 -U postgres -d postgres -c \
    "SELECT datname FROM pg_database WHERE datname LIKE 'bizopp\_t%'" |
    while read -r db; do psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)"; done
}
drop_test_databases
cargo test -p app -p server
drop_test_databases
# The SQLite files the suite made (one folder per test process).
rm -rf "${TMPDIR:-/tmp}"/bizopp-tests-* "${TMPDIR:-/tmp}"/bizopp-routes-*

say "browser tests (debug build, Debian chromium)"
cargo leptos build
(cd end2end && npx playwright test)

say "the province generator and the HTTP bench, one quick pass at a tiny size"
cargo test -q -p server --bench http
