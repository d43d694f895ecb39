#!/usr/bin/env bash
# Runs a command on another Node.js major, installed from the npm registry's `node` package (no other download):
#   scripts/ci/with-node.sh 26 npm test
# The install is cached under $OUTRUN_NODE_CACHE (default ~/.cache/outrun-node/<major>). Node 22+ use better-sqlite3
# 13's prebuilt Node-API binary (nothing to compile); for an older major, better-sqlite3 12 is compiled for that Node
# from the package's headers (--nodedir, about 2 minutes on 2 cores, once per Node version) and kept beside the
# machine's own build in node_modules/better-sqlite3/compiled/<version>/<platform>/<arch>/ (where its loader looks).
set -euo pipefail
major="${1:?usage: with-node.sh <major> <command...>}"; shift
root="$(cd "$(dirname "$0")/../.." && pwd)"
cache="${OUTRUN_NODE_CACHE:-$HOME/.cache/outrun-node}/$major"
say() { printf '[node %s] %s\n' "$major" "$*"; }

if [ ! -x "$cache/node_modules/node/bin/node" ]; then
  say "installing node@$major from the npm registry into $cache"
  npm install --prefix "$cache" --no-audit --no-fund --no-save "node@$major" >/dev/null
fi
bin="$cache/node_modules/node/bin"
version="$("$bin/node" -p 'process.versions.node')"
headers="$(dirname "$(dirname "$(dirname "$(find "$cache/node_modules" -path '*/include/node/node_api.h' | head -1)")")")"

# better-sqlite3 12 (used on Node < 22 only: packages/store/src/sqlite/driver.ts; 22+ load the prebuilt Node-API
# 13 as `better-sqlite3-napi`): one binary per Node version in compiled/, the machine's own moved there first.
if [ "$major" -lt 22 ]; then
  bs="$root/node_modules/better-sqlite3"
  arch_dir() { echo "$bs/compiled/$1/$(node -p process.platform)/$(node -p process.arch)"; }
  if [ -f "$bs/build/Release/better_sqlite3.node" ]; then
    own="$(arch_dir "$(node -p 'process.versions.node')")"
    mkdir -p "$own" && mv "$bs/build/Release/better_sqlite3.node" "$own/"
  fi
  target="$(arch_dir "$version")"
  if [ ! -f "$target/better_sqlite3.node" ]; then
    say "compiling better-sqlite3 $(node -p "require('$bs/package.json').version") for Node $version"
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    cp -r "$bs/." "$work/" && rm -rf "$work/build" "$work/compiled"
    gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
    (cd "$work" && PATH="$bin:$PATH" node "$gyp" rebuild --release --nodedir="$headers" -j 2 >"$work.log" 2>&1) \
      || { tail -20 "$work.log"; exit 1; }
    mkdir -p "$target" && cp "$work/build/Release/better_sqlite3.node" "$target/"
  fi
fi

say "running on Node $version: $*"
PATH="$bin:$PATH" "$@"
