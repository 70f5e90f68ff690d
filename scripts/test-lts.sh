#!/usr/bin/env bash
# Runs the host-only suites (everything but the qemu lab) under the other Node LTS lines.
# Node binaries come from the npm registry (the `node` package) and are cached.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${IOCTL_ABI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ioctl-abi}/node"
for major in 22 24; do
  dir="$cache/$major"
  if [ ! -x "$dir/node_modules/.bin/node" ]; then
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-audit --no-fund "node@$major" >/dev/null
  fi
  bin="$(cd "$dir/node_modules/.bin" && pwd)"
  echo "== node $("$bin/node" --version): host suites"
  PATH="$bin:$PATH" "$bin/node" node_modules/vitest/vitest.mjs run --exclude 'test/lab/**' "$@"
done
