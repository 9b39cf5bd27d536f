#!/usr/bin/env bash
# The hub on the embedded default: a private PostgreSQL under .hub/, the sample catalog, a demo
# department, two ops accounts, a few held conflicts and a dead letter, and the server on
# http://127.0.0.1:8080 (--port or HUB_PORT to change; --simulator-port for the provincial simulator).
# Ctrl-C stops everything. Beside it, `scripts/hub …` runs the built `hub` against the same state.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
swift build --product hub-demo
swift build --product hub
exec .build/debug/hub-demo "$@"
