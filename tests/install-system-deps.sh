#!/usr/bin/env bash
# The system packages the test suites start throwaway servers from, installed only when missing
# (Debian/Ubuntu): chromium for the browser suite (playwright-core drives it), PostgreSQL's server
# binaries for the store tests (tests/support/pg-server.ts), redis-server for the cluster tests
# (tests/support/redis-server.ts). No service is started or needs to run.
set -euo pipefail
missing=()
command -v chromium >/dev/null || [ -n "${CHROMIUM_PATH:-}" ] || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=''
[ "$(id -u)" -eq 0 ] || sudo='sudo'
$sudo apt-get update
$sudo apt-get install -y --no-install-recommends "${missing[@]}"
