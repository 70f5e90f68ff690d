#!/usr/bin/env bash
# The whole test suite from a fresh clone: system packages, npm packages,
# cached downloads (kernel headers, kernel image, build chroot), then vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
if [ ! -x node_modules/.bin/vitest ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npx tsx scripts/prepare.ts
npx tsc --noEmit
npx vitest run "$@"
