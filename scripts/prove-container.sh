#!/usr/bin/env bash
# Proves the Dockerfile where no Docker daemon runs: builds its stages, instruction by
# instruction, in Debian roots made with debootstrap (chroot, as root), then checks the final
# root as the container would run: ffmpeg lists the AMR-NB encoder and encodes AMR, `wecom-bot
# check` passes as the non-root user with chatgpt-on-wechat's environment variables, `start`
# answers the HEALTHCHECK and stops cleanly on SIGTERM. Needs root, Debian's and npm's
# registries, about 3 GB under $PROVE_CACHE and 10–20 minutes: not part of .ci/run.
#   sudo bash scripts/prove-container.sh          (PROVE_KEEP=1 keeps the stage roots)
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "prove-container: run as root (debootstrap, chroot, mount)" >&2; exit 1; }
if ! command -v debootstrap >/dev/null; then apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; fi

release=$(sed -n 's/^ARG DEBIAN_RELEASE=//p' Dockerfile)
cache=${PROVE_CACHE:-/var/tmp/wecom-bot-prove}
base=$cache/debian-$release-slim
if [ ! -e "$base/.done" ]; then
  echo "== debootstrap $release (minbase) into $base"
  rm -rf "$base"
  mkdir -p "$cache"
  debootstrap --variant=minbase "$release" "$base" http://deb.debian.org/debian >"$cache/debootstrap.log" 2>&1 ||
    { tail -20 "$cache/debootstrap.log" >&2; exit 1; }
  # Made like the official debian:<release>-slim image: deb822 sources with the updates and
  # security suites, and dpkg leaving out docs, man pages and locales.
  rm -f "$base/etc/apt/sources.list"
  cat >"$base/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: http://deb.debian.org/debian
Suites: $release $release-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: $release-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  cat >"$base/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/info/*
EOF
  chroot "$base" /bin/sh -c 'apt-get clean; rm -rf /var/lib/apt/lists/*'
  touch "$base/.done"
fi

# This host's own trust additions (a TLS-intercepting egress proxy's CA, as on our machines):
# without them no HTTPS download works in the roots. Debian's ca-certificates takes them in
# when a stage installs it; Node is pointed at that bundle (NODE_EXTRA_CA_CERTS). A Docker
# build on an ordinary network needs neither.
mkdir -p "$base/usr/local/share/ca-certificates"
rm -f "$base"/usr/local/share/ca-certificates/host-*.crt
for crt in /usr/local/share/ca-certificates/*.crt; do
  [ -e "$crt" ] && cp "$crt" "$base/usr/local/share/ca-certificates/host-$(basename "$crt")"
done

exec node scripts/prove-container.mjs --base "$base" --work "$cache/stages" "$@"
