#!/usr/bin/env python3
"""The browser bundle's sizes after `cargo leptos build --release --precompress --split`: the
main WASM, the JS, and for each lazy route (app/src/routes.rs) the WASM its page loads (main,
its own chunk and the shared chunks the split manifest names), raw and brotli."""
import glob
import json
import os
import sys

pkg = sys.argv[1] if len(sys.argv) > 1 else "target/site/pkg"
os.chdir(pkg)


def one(pattern):
    found = [f for f in glob.glob(pattern) if not f.endswith((".br", ".gz"))]
    return found[0] if found else None


def sizes(path):
    if not path:
        return 0, 0
    brotli = path + ".br"
    return os.path.getsize(path), os.path.getsize(brotli) if os.path.exists(brotli) else 0


main = one("bizopp.*.wasm")
js = one("bizopp.*.js")
loader = one("__wasm_split.*.js")
manifest = json.load(open(one("__wasm_split_manifest.*.json")))
(main_raw, main_br) = sizes(main)
kb = lambda n: f"{n / 1024:,.0f}"
print("| file | raw KB | brotli KB |\n|---|---:|---:|")
for label, path in [("main WASM", main), ("JS", js), ("split loader JS", loader)]:
    raw, br = sizes(path)
    print(f"| {label} | {kb(raw)} | {kb(br)} |")
print("\n| page (lazy route) | WASM raw KB | WASM brotli KB | files |\n|---|---:|---:|---:|")
rows = []
for key, chunks in manifest.items():
    raw, br = sizes(one(f"split_{key}.*.wasm"))
    for chunk in chunks:
        r, b = sizes(one(f"{chunk}.wasm"))
        raw, br = raw + r, br + b
    name = key.strip("_").rsplit("_view_", 1)[0]
    rows.append((main_br + br, main_raw + raw, name, len(chunks) + 2))
for br, raw, name, files in sorted(rows, reverse=True):
    print(f"| {name} | {kb(raw)} | {kb(br)} | {files} |")
