#!/usr/bin/env bash
# Installs what the hub needs from Debian's packages when it is missing. Safe to run again.
# --browser (the test command) also installs what the console's browser tests need (Chromium, its driver, a CJK
# font, Selenium) and the tools deploy/test/check.sh reads deploy/ with — the demo needs none of them.
set -euo pipefail
browser=0
[ "${1:-}" = "--browser" ] && browser=1
if ! command -v swift >/dev/null 2>&1; then
  echo "swift not found: install the Swift 6 toolchain (https://www.swift.org/install/linux/) and run this again." >&2
  exit 1
fi
need=()
packages=(postgresql libxml2-dev libxml2-utils libcurl4-openssl-dev libpq-dev openssl curl pkg-config)
# deploy/test/check.sh reads deploy/'s files with the tools that run them (systemd-analyze comes with systemd;
# envsubst with gettext-base).
deploy_packages=(nginx haproxy patroni etcd-server pgbackrest gettext-base)
[ $browser -eq 1 ] && packages+=("${deploy_packages[@]}")
# The browser suite also renders a PDF report to PNG (poppler, with its CJK character maps).
[ $browser -eq 1 ] && packages+=(chromium chromium-driver fonts-wqy-microhei poppler-utils poppler-data)
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "安装依赖 installing: ${need[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  # Nothing installed here may start: nginx, HAProxy, etcd, Patroni (and PostgreSQL's default cluster) would
  # take ports and run as services. invoke-rc.d and deb-systemd-invoke ask policy-rc.d first; 101 is "no".
  policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod 755 "$policy"
  fi
  status=0
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || status=$?
  [ -n "$policy" ] && $sudo rm -f "$policy"
  [ $status -eq 0 ] || exit $status
  # Nor at the next boot: the services of what was just installed are disabled where systemd runs.
  if [ -d /run/systemd/system ]; then
    for unit in nginx haproxy patroni etcd; do
      case " ${need[*]} " in *" $unit "* | *" $unit-server "*) $sudo systemctl disable --now "$unit" >/dev/null 2>&1 || true ;; esac
    done
  fi
fi
# Python packages: every module a check imports is listed (pinned) in scripts/requirements/*.txt. pip installs
# the pinned set when a module is missing or an installed version differs from its pin (another schemathesis
# would not understand the hooks).
pip_install() { # $1: requirements file, $2...: import names it provides
  local file=$1; shift
  if ! python3 -c "import $(IFS=,; echo "$*")" 2>/dev/null || ! python3 - "$file" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if "==" in line:
        name, pin = line.split("==")
        if version(name) != pin:
            sys.exit(1)
PY
  then
    echo "安装依赖 installing the Python packages of $file"
    python3 -m pip install --quiet --disable-pip-version-check -r "$file"
  fi
}
here="$(cd "$(dirname "$0")" && pwd)"
pip_install "$here/requirements/checks.txt" jsonschema referencing yaml openapi_spec_validator xmlschema schemathesis requests openpyxl
if [ $browser -eq 1 ]; then
  pip_install "$here/requirements/deploy.txt" kubernetes_validate
  pip_install "$here/requirements/browser.txt" selenium
fi
