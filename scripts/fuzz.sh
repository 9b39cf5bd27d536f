#!/usr/bin/env bash
# Builds the decoder fuzz target with libFuzzer and AddressSanitizer and runs it.
#   scripts/fuzz.sh [SECONDS]   (default 600)
# Corpus: Fuzz/corpus (seeded from Schemas/examples and the hostile corpus); crashes land in Fuzz/crashes.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
out=.build/fuzz
mkdir -p "$out" Fuzz/corpus Fuzz/crashes
flags=(-parse-as-library -O -sanitize=fuzzer,address -swift-version 6 -package-name supervision_hub)
# HubModel as a module of its own (without Ledger/, which needs swift-crypto and no decoder uses), then HubXML,
# then the target, all instrumented.
swiftc "${flags[@]}" -emit-module -emit-library -static -module-name HubModel -emit-module-path "$out/HubModel.swiftmodule" \
    -o "$out/libHubModel.a" $(find Sources/HubModel -name '*.swift' -not -path '*/Ledger/*')
swiftc "${flags[@]}" -emit-module -emit-library -static -module-name HubXML -emit-module-path "$out/HubXML.swiftmodule" \
    -I "$out" -I Sources/CLibXML2 -Xcc -I/usr/include/libxml2 -o "$out/libHubXML.a" Sources/HubXML/*.swift
swiftc "${flags[@]}" -I "$out" -I Sources/CLibXML2 -Xcc -I/usr/include/libxml2 -L "$out" -lHubXML -lHubModel -lxml2 \
    -o "$out/fuzz-decoders" Fuzz/FuzzDecoders.swift
cp -n Schemas/examples/* Fuzz/corpus/ 2>/dev/null || true
find Tests/HubIntegrationTests/Fixtures/hostile -type f ! -name '*.md' ! -name 'oversize.json' ! -name 'manifest.tsv' -size -1M \
    -exec cp -n {} Fuzz/corpus/ \; 2>/dev/null || true
ASAN_OPTIONS=detect_leaks=0 "$out/fuzz-decoders" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -detect_leaks=0 -artifact_prefix=Fuzz/crashes/ -print_final_stats=1 Fuzz/corpus
