#!/usr/bin/env bash
# 导入 at scale, over HTTP with a real session: generates N customers (default 200,000; every
# 1,000th row bad) as a CSV, starts the server built by `cargo leptos build [--release]` on a
# fresh SQLite file (or DATABASE_URL), uploads the file, starts the import and polls its job
# page to the end. Reports rows/s and the server's peak resident memory (VmHWM), which should
# not grow with the file. Numbers go into docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-200000}
bin=${BIN:-target/release/server}
[[ -x $bin ]] || bin=target/debug/server
port=${PORT:-3998}
work=$(mktemp -d)
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

python3 - "$rows" > "$work/customers.csv" <<'PY'
import sys
rows = int(sys.argv[1])
print("客户名称,行业,客户级别,电话,地址")
for n in range(1, rows + 1):
    industry = "不存在的行业" if n % 1000 == 0 else "政务"
    print(f"导入压测客户{n:07d},{industry},一般客户,0311-{n:07d},石家庄市第{n}号")
PY
echo "file: $(du -h "$work/customers.csv" | cut -f1), $rows rows; server: $bin"

DATABASE_URL=${DATABASE_URL:-sqlite://$work/bench.db} BIZOPP_DEMO_DATA=true \
  LEPTOS_OUTPUT_NAME=bizopp LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
  LEPTOS_SITE_ADDR=127.0.0.1:$port RUST_LOG=warn "$bin" &
server=$!
base=http://127.0.0.1:$port
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done

jar=$work/cookies
same=(-H 'Sec-Fetch-Site: same-origin')
curl -s "${same[@]}" -c "$jar" -b "$jar" -o /dev/null \
  --data-urlencode login=sjz_am1 --data-urlencode 'password=Demo@2026!' "$base/login"
preview=$(curl -s "${same[@]}" -b "$jar" -F kind=customers -F "file=@$work/customers.csv" \
  "$base/customers/import")
token=$(grep -o 'name="token" value="[0-9a-f]*"' <<<"$preview" | sed 's/.*value="//; s/"//')
[[ -n $token ]] || { echo "no preview"; exit 1; }
start=$(date +%s.%N)
job=$(curl -s "${same[@]}" -b "$jar" -o /dev/null -w '%{redirect_url}' \
  --data "token=$token&kind=customers&file_name=customers.csv&map=name&map=industry&map=level&map=phone&map=address" \
  "$base/customers/import/start")
[[ $job == */jobs/* ]] || { echo "the import did not start"; exit 1; }
while curl -s -b "$jar" "$job" | grep -q 'data-status="running"'; do sleep 1; done
end=$(date +%s.%N)
page=$(curl -s -b "$jar" "$job")
count() { grep -o "id=\"$1\">[^<]*" <<<"$page" | sed 's/.*>//'; }
seconds=$(python3 -c "print(f'{$end - $start:.1f}')")
echo "succeeded $(count job-succeeded), failed $(count job-failed) in ${seconds} s" \
  "($(python3 -c "print(int($rows / ($end - $start)))") rows/s)"
echo "server peak resident memory: $(grep VmHWM /proc/$server/status | awk '{print int($2/1024)}') MB"
