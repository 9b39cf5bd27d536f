#!/usr/bin/env bash
# The format check of the test command: every Swift file as `swift format` (the toolchain's swift-format, with
# the project's .swift-format — Hummingbird's settings, line length 150) would write it, and no lint rule broken.
# To fix what it reports: `scripts/check_format.sh --fix` (formats in place), then read the diff.
set -euo pipefail
cd "$(dirname "$0")/.."
paths=(Package.swift Sources Tests Benchmarks Fuzz)
if [ "${1:-}" = "--fix" ]; then
  swift format format --parallel --in-place --recursive "${paths[@]}"
fi
# --strict: a formatting difference is an error, not a warning, so the command's status says it.
if ! swift format lint --strict --parallel --recursive "${paths[@]}"; then
  echo "format check failed: run scripts/check_format.sh --fix and commit the result" >&2
  exit 1
fi
echo "format check: $(git ls-files '*.swift' | wc -l) Swift files as swift-format writes them"
