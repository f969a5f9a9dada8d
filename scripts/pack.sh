#!/usr/bin/env bash
# Packs every published package (the projects of tsconfig.build.json) into DEST as npm
# tarballs, after `pnpm build`: `pnpm pack` applies each package.json's publishConfig (entry
# points in dist/) and turns workspace: ranges into the real versions.
#   bash scripts/pack.sh DEST
set -euo pipefail
dest=$(mkdir -p "${1:?usage: scripts/pack.sh DEST}" && cd "$1" && pwd)
cd "$(dirname "$0")/.."
dirs=$(node -e '
  const fs = require("fs"), path = require("path");
  const text = fs.readFileSync("tsconfig.build.json", "utf8").replace(/^\s*\/\/.*$/gm, "");
  for (const ref of JSON.parse(text).references) console.log(path.dirname(ref.path));
')
for dir in $dirs; do
  [ -f "$dir/dist/index.js" ] || [ -f "$dir/dist/bin.js" ] || { echo "pack: $dir/dist is missing: run pnpm build first" >&2; exit 1; }
  (cd "$dir" && pnpm pack --pack-destination "$dest" >/dev/null)
done
ls "$dest"
