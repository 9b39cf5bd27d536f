#!/usr/bin/env bash
# Sends one signed request to the hub with curl, as a department system would (signature version 2).
#   HUB_KEY=hk_… HUB_SECRET_FILE=secret.txt scripts/signed-curl.sh POST https://hub.example:8443/api/v1/records batch.json
#   HUB_KEY=hk_… HUB_SECRET=…               scripts/signed-curl.sh GET  http://127.0.0.1:8080/api/v1/records/LOCAL_ID
# The secret comes from the file named by HUB_SECRET_FILE or from HUB_SECRET — never from the command line,
# where any user of the machine could read it in the process list; it is not passed on any command line here
# either (the HMAC is computed in-process by python3, which reads it from the environment).
# Options from the environment: CONTENT_TYPE (default application/json), HUB_SIGNATURE_VERSION (2; 1 for old hubs),
# CURL_OPTS (extra curl arguments, e.g. "--cacert ca.pem").
# Signature (docs/API.md "Signing"): hex(HMAC-SHA256(secret,
#   "v2\nMETHOD\nHOST\nPATH_WITH_QUERY\nCONTENT_TYPE\nTIMESTAMP\nNONCE\nhex(SHA256(body))")).
set -euo pipefail
method=${1:?METHOD}; url=${2:?URL}; file=${3:-}
: "${HUB_KEY:?set HUB_KEY}"
if [ -n "${HUB_SECRET_FILE:-}" ]; then
  HUB_SECRET=$(cat "$HUB_SECRET_FILE")
fi
: "${HUB_SECRET:?set HUB_SECRET_FILE (a file holding the secret) or HUB_SECRET}"
export HUB_SECRET
content_type=""
[ -n "$file" ] && content_type=${CONTENT_TYPE:-application/json}
mapfile -t headers < <(METHOD="$method" URL="$url" BODY_FILE="${file:-/dev/null}" CT="$content_type" \
  VERSION="${HUB_SIGNATURE_VERSION:-2}" python3 - <<'PY'
import hashlib, hmac, os, secrets, time, urllib.parse
url = urllib.parse.urlsplit(os.environ["URL"])
path = (url.path or "/") + ("?" + url.query if url.query else "")
default = 443 if url.scheme == "https" else 80
host = (url.hostname or "").lower()
if ":" in host: host = "[" + host + "]"
if url.port and url.port != default: host += ":" + str(url.port)
with open(os.environ["BODY_FILE"], "rb") as f: body_hash = hashlib.sha256(f.read()).hexdigest()
ts, nonce = str(int(time.time())), secrets.token_hex(16)
method, ct = os.environ["METHOD"], os.environ["CT"].strip()
if os.environ["VERSION"] == "1":
    msg = f"{method}\n{path}\n{ts}\n{nonce}\n{body_hash}"
else:
    msg = f"v2\n{method}\n{host}\n{path}\n{ct}\n{ts}\n{nonce}\n{body_hash}"
    print("X-Hub-Signature-Version: 2")
sig = hmac.new(os.environ["HUB_SECRET"].encode(), msg.encode(), hashlib.sha256).hexdigest()
print(f"X-Hub-Timestamp: {ts}"); print(f"X-Hub-Nonce: {nonce}"); print(f"X-Hub-Signature: {sig}")
PY
)
args=(-sS -X "$method" "$url" -H "X-Hub-Key: $HUB_KEY")
for h in "${headers[@]}"; do args+=(-H "$h"); done
[ -n "$file" ] && args+=(-H "Content-Type: $content_type" --data-binary "@$file")
# shellcheck disable=SC2086
curl ${CURL_OPTS:-} "${args[@]}"
echo
