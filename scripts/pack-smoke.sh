#!/usr/bin/env bash
# The packed CLI as a user installs it: build, `pnpm pack` every published package, `npm install`
# the tarballs into an empty folder (no workspace: third-party packages come from the npm
# registry or npm's cache), then run `wecom-bot --version`, `init`, `check`, `start` (with a
# TypeScript plugin: tsx is registered only for it) and `dev` there. Run by .ci/run; locally:
#   pnpm test:pack            (or: bash scripts/pack-smoke.sh --no-build, after `pnpm build`)
# Prints "N passed, 0 failed" at the end; exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

[ "${1:-}" = "--no-build" ] || pnpm build

work=$(mktemp -d "${TMPDIR:-/tmp}/wecom-bot-pack.XXXXXX")
[ -n "${KEEP_PACK_DIR:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tarballs" "$work/site"
passed=0
pass() { passed=$((passed + 1)); echo "ok $passed - $1"; }
fail() {
  echo "not ok - $1" >&2
  [ -f "$work/out" ] && sed 's/^/    /' "$work/out" >&2
  exit 1
}

version=$(node -p 'require("./apps/cli/package.json").version')
grep -q "^## \[$version\] - " CHANGELOG.md || fail "CHANGELOG.md has no \"## [$version] - date\" section"
bash scripts/pack.sh "$work/tarballs" >"$work/out" 2>&1 || fail "scripts/pack.sh"

# Each tarball: dist/ + README + LICENSE, no sources; manifests say dist and real versions.
for tgz in "$work/tarballs"/*.tgz; do
  name=$(basename "$tgz")
  tar -tzf "$tgz" | sort >"$work/list"
  grep -q '^package/dist/.*\.js$' "$work/list" || fail "$name has no dist/*.js"
  grep -q '^package/dist/.*\.d\.ts$' "$work/list" || fail "$name has no dist/*.d.ts"
  grep -qx 'package/LICENSE' "$work/list" || fail "$name has no LICENSE"
  grep -qx 'package/README.md' "$work/list" || fail "$name has no README.md"
  case "$name" in wecom-bot-[0-9]*) grep -qx 'package/README.zh-CN.md' "$work/list" || fail "$name has no README.zh-CN.md (its README links to it)" ;; esac
  if grep -q '^package/src/\|\.test\.\|\.tsbuildinfo$\|^package/tsconfig' "$work/list"; then fail "$name ships sources, tests or build files: $(grep '^package/src/\|\.test\.\|\.tsbuildinfo$\|^package/tsconfig' "$work/list" | head -3 | tr '\n' ' ')"; fi
  tar -xzOf "$tgz" package/package.json >"$work/manifest.json"
  node -e '
    const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const bad = [];
    if (m.private) bad.push("private");
    if (m.version !== process.argv[2]) bad.push(`version ${m.version}`);
    if (m.license !== "MIT") bad.push(`license ${m.license}`);
    if (m.engines?.node !== ">=20.19") bad.push("engines.node");
    const text = JSON.stringify([m.exports, m.main, m.types, m.bin]);
    if (text.includes("src/") || !text.includes("dist/")) bad.push(`entry points ${text}`);
    if (JSON.stringify(m).includes("workspace:")) bad.push("a workspace: range");
    if (bad.length) { console.error(bad.join("; ")); process.exit(1); }
  ' "$work/manifest.json" "$version" >"$work/out" 2>&1 || fail "$name's package.json: $(cat "$work/out")"
done
pass "$(ls "$work/tarballs" | wc -l) tarballs of $version (in CHANGELOG.md) carry dist, declarations, README and LICENSE, no sources"

# Install as a user does: npm, an empty folder, no workspace, install scripts on. ffmpeg-static's
# script downloads a binary from GitHub; where that fails (here: only registries are reachable)
# npm drops the optional dependency and goes on.
cd "$work/site"
echo '{ "name": "my-bot", "private": true }' >package.json
npm install --no-audit --no-fund --prefer-offline --loglevel=error "$work"/tarballs/*.tgz >"$work/out" 2>&1 ||
  fail "npm install of the tarballs"
[ ! -e node_modules/@wecom-bot/core/src ] || fail "an installed package has src/"
pass "npm installs the tarballs into an empty folder"

# Each entry point a user may import, on its own in a fresh Node: the bundles (scripts/build.mjs)
# must load in the right order without the CLI loading anything first. Not @wecom-bot/dev (the
# CLI's own, run by `wecom-bot dev` below) nor core's testing/conformance (it imports the
# author's vitest).
entries=$(node -e '
  const fs = require("fs");
  for (const dir of ["wecom-bot", ...fs.readdirSync("node_modules/@wecom-bot").map((n) => `@wecom-bot/${n}`)]) {
    const m = JSON.parse(fs.readFileSync(`node_modules/${dir}/package.json`, "utf8"));
    for (const key of Object.keys(m.exports)) console.log(m.name + key.slice(1));
  }
' | grep -vx '@wecom-bot/dev\|@wecom-bot/core/testing/conformance')
for entry in $entries; do
  node --input-type=module -e "await import('$entry')" >"$work/out" 2>&1 || fail "import('$entry') on its own"
done
pass "$(echo "$entries" | wc -l) entry points of the installed packages import on their own"

wb() { npx --no -- wecom-bot "$@"; }

out=$(wb --version 2>"$work/out") || fail "wecom-bot --version"
[ "$out" = "$version" ] || fail "wecom-bot --version printed '$out', not $version"
pass "npx wecom-bot --version prints $version"

# The installed bin is the compiled JavaScript, run by node without a TypeScript loader.
bin=$(readlink -f node_modules/.bin/wecom-bot)
case "$bin" in */node_modules/wecom-bot/dist/bin.js) ;; *) fail "the bin is $bin, not dist/bin.js" ;; esac
pass "the wecom-bot bin is dist/bin.js"

wb init >"$work/out" 2>&1 || fail "wecom-bot init"
cmp -s config.json node_modules/wecom-bot/dist/config.json.template || fail "init wrote something else than the template"
wb init >"$work/out" 2>&1 && fail "a second init overwrote config.json"
pass "wecom-bot init writes config.json from the template, once"

# The terminal channel and the echo bot, plus a TypeScript plugin: tsx is registered for it alone.
mkdir -p plugins
cat >plugins/shout.ts <<'EOF'
import { Action, ctxGet, definePlugin, REPLY_DEADLINE, textReply } from '@wecom-bot/core';

const answer: string = 'TYPESCRIPT PLUGIN SAYS HI';

export default definePlugin({
  name: 'shout',
  onHandleContext(event) {
    // The pipeline set the deadline with its key: this plugin reads it only if its
    // @wecom-bot/core is the CLI's own (one instance, not a copy bundled into the CLI).
    const core = ctxGet(event.context, REPLY_DEADLINE) === undefined ? 'ANOTHER CORE' : 'THE SAME CORE';
    if (event.context.content.trim() !== '#shout') return;
    event.reply = textReply(`${answer} FROM ${core}`);
    return Action.BREAK_PASS;
  },
});
EOF
cat >config.json <<'EOF'
{ "channel_type": "terminal", "bot_type": "echo", "data_dir": "./data", "log_level": "warn", "plugins": ["./plugins/shout.ts"] }
EOF
wb check >"$work/out" 2>&1 || fail "wecom-bot check (terminal + echo) exited $?"
grep -q 'Ready to start' "$work/out" || fail "wecom-bot check did not say it is ready"
pass "wecom-bot check passes for the terminal channel and the echo bot"

# The declarations serve a plugin author: strict tsc over the plugin, declarations included
# (the repo's typescript and @types/node stand in for the author's own).
cat >tsconfig.json <<EOF
{ "compilerOptions": { "module": "NodeNext", "moduleResolution": "NodeNext", "target": "ES2022", "strict": true,
  "noEmit": true, "skipLibCheck": false, "types": ["node"], "typeRoots": ["$root/node_modules/@types"] }, "include": ["plugins"] }
EOF
node "$root/node_modules/typescript/bin/tsc" -p tsconfig.json >"$work/out" 2>&1 || fail "tsc on a plugin against the installed declarations"
pass "the installed declarations typecheck a TypeScript plugin (strict, skipLibCheck off)"

printf 'hello from the pack test\n#shout\n' | wb start >"$work/out" 2>&1 || fail "wecom-bot start exited $?"
grep -q 'hello from the pack test' "$work/out" || fail "start did not echo the line"
grep -q 'TYPESCRIPT PLUGIN SAYS HI' "$work/out" || fail "the TypeScript plugin did not answer"
grep -q 'SAYS HI FROM THE SAME CORE' "$work/out" || fail "the plugin's @wecom-bot/core is not the CLI's (a second instance)"
pass "wecom-bot start answers a piped line (echo) and a TypeScript plugin's command, the plugin sharing the CLI's @wecom-bot/core"

# `wecom-bot dev` as installed: its runtime imports (the WeCom stand-ins) must reach no dev
# dependency (vitest), and its page is bundled from the shipped web/ sources. Run the bin itself
# (not npx) so the signal reaches node: start on a free port, GET the page and its script, stop.
node_modules/.bin/wecom-bot dev --port 0 >"$work/out" 2>&1 &
dev_pid=$!
url=
for _ in $(seq 1 150); do
  url=$(sed -n 's/.*wecom-bot dev is running: open \(http[^ ]*\).*/\1/p' "$work/out")
  [ -n "$url" ] || ! kill -0 "$dev_pid" 2>/dev/null && break
  sleep 0.2
done
stop_dev() { kill -TERM "$dev_pid" 2>/dev/null; wait "$dev_pid"; }
[ -n "$url" ] || { stop_dev || true; fail "wecom-bot dev did not say where its page is"; }
curl -fsS "$url" -o "$work/page" 2>>"$work/out" && grep -qi '<html' "$work/page" || { stop_dev || true; fail "GET $url (the dev page)"; }
curl -fsS "${url%/}/app.js" -o "$work/page.js" 2>>"$work/out" && [ -s "$work/page.js" ] || { stop_dev || true; fail "GET ${url%/}/app.js (the dev page's script)"; }
stop_dev || fail "wecom-bot dev exited $? on SIGTERM"
grep -q 'SIGTERM: stopping' "$work/out" || fail "wecom-bot dev did not stop on SIGTERM"
pass "wecom-bot dev serves its page and script from the installed package, and stops on SIGTERM"

cd "$root"
echo "$passed passed, 0 failed"
