#!/usr/bin/env bash
# The whole test suite from a fresh clone: system packages, npm packages,
# cached downloads (kernel headers, kernel image, build chroot), then vitest
# on Node 20 (everything, the qemu lab included) and on Node 22 and 24 (host suites).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
if [ ! -x node_modules/.bin/vitest ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npx tsx scripts/prepare.ts
npx tsc --noEmit
npm run build --silent   # dist/: what the installed package runs (test/package packs it)
node bin/ioctl-abi.mjs gen --check
npx vitest run "$@"
bash scripts/test-lts.sh
