#!/usr/bin/env bash
# Installs Debian's Chromium for the end-to-end tests when it is missing (CI runs as root on a
# fresh Debian machine). Never downloads a browser from anywhere else.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Chromium is missing: run 'sudo apt-get install -y chromium' (Debian) and try again." >&2
  exit 1
fi
echo "Installing Debian's chromium for the end-to-end tests..." >&2
apt-get update -qq >/dev/null || true
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
