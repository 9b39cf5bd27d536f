#!/usr/bin/env bash
# Sends one signed request to the hub with curl, as a department system would.
#   HUB_KEY=hk_… HUB_SECRET=… scripts/signed-curl.sh POST http://127.0.0.1:8080/api/v1/records batch.json
#   HUB_KEY=hk_… HUB_SECRET=… scripts/signed-curl.sh GET  http://127.0.0.1:8080/api/v1/records/LOCAL_ID
# Signature (docs/API.md): hex(HMAC-SHA256(secret, METHOD\nPATH_WITH_QUERY\nTIMESTAMP\nNONCE\nhex(SHA256(body)))).
set -euo pipefail
method=${1:?METHOD}; url=${2:?URL}; file=${3:-}
: "${HUB_KEY:?set HUB_KEY}" "${HUB_SECRET:?set HUB_SECRET}"
path_query="/${url#*://*/}"
body_file=${file:-/dev/null}
ts=$(date +%s)
nonce=$(openssl rand -hex 16)
body_hash=$(openssl dgst -sha256 -r < "$body_file" | cut -d' ' -f1)
sig=$(printf '%s\n%s\n%s\n%s\n%s' "$method" "$path_query" "$ts" "$nonce" "$body_hash" \
      | openssl dgst -sha256 -hmac "$HUB_SECRET" -r | cut -d' ' -f1)
args=(-sS -X "$method" "$url" -H "X-Hub-Key: $HUB_KEY" -H "X-Hub-Timestamp: $ts" -H "X-Hub-Nonce: $nonce" -H "X-Hub-Signature: $sig")
[ -n "$file" ] && args+=(-H "Content-Type: application/json" --data-binary "@$file")
curl "${args[@]}"
echo
