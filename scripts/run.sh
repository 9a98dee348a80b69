#!/usr/bin/env bash
# Installs what is missing, builds (release), and serves http://127.0.0.1:3000 on the embedded
# SQLite file data/bizopp.db with the demo data. DATABASE_URL=postgres://… uses PostgreSQL.
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
cd "$ROOT"

ensure_wasm_target
ensure_cargo_leptos
ensure_wasm_bindgen
ensure_wasm_opt

say "demo users (password Demo@2026!): admin oppadmin prov_gm prov_vp ind_gov support prov_am1 sjz_am1 sjz_am2 sjz_vp1 sjz_gm bd_am1 bd_vp1 bd_gm"
exec cargo leptos serve --release --precompress
