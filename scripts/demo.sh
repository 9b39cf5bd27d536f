#!/usr/bin/env bash
# The hub on the embedded default: a private PostgreSQL under .hub/, the sample catalog, a demo
# department, and the server on http://127.0.0.1:8080 (HUB_PORT to change). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
swift build --product hub-demo
swift build --product hub
exec .build/debug/hub-demo "$@"
