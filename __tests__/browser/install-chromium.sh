#!/usr/bin/env bash
# Installs Debian's chromium for the browser test (__tests__/browser), when it is not there yet. Needs root or sudo.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
export DEBIAN_FRONTEND=noninteractive
as_root apt-get install -y --no-install-recommends chromium || { as_root apt-get update && as_root apt-get install -y --no-install-recommends chromium; }
