# syntax=docker/dockerfile:1
# wecom-bot in a container: Debian slim, Node 24, Debian's ffmpeg with the AMR-NB encoder
# (libavcodec-extra), a non-root user, state and config in the /data volume.
#
#   docker build -t wecom-bot .
#   docker run -d -p 9898:9898 -v wecom-bot-data:/data \
#     -e WECHATCOM_CORP_ID=… -e WECHATCOMAPP_TOKEN=… -e OPEN_AI_API_KEY=… wecom-bot
#   docker run --rm -v wecom-bot-data:/data wecom-bot check
#
# Settings: chatgpt-on-wechat's environment variable names (every config key, upper-cased), or
# /data/config.json. scripts/prove-container.sh runs these steps in a Debian root made with
# debootstrap, where no Docker daemon runs (see the README's "Container").
#
# Node 24 comes from the npm registry's node-linux-<arch> package: the official binary, fetched
# from the one place a machine that reaches npm also reaches. Behind a mirror, pass
# --build-arg NPM_REGISTRY=https://registry.npmmirror.com (and DEBIAN_MIRROR for apt).

ARG DEBIAN_RELEASE=trixie
ARG NODE_VERSION=24.22.3
ARG NPM_VERSION=11.21.2
ARG PNPM_VERSION=10.24.0
ARG NPM_REGISTRY=https://registry.npmjs.org

# ---- node: Node 24 and npm, checked against the registry's sha512 ----------------------------
FROM debian:${DEBIAN_RELEASE}-slim AS node
ARG NODE_VERSION NPM_VERSION NPM_REGISTRY TARGETARCH DEBIAN_MIRROR
RUN set -eu; \
    if [ -n "${DEBIAN_MIRROR:-}" ]; then sed -i "s|http://deb.debian.org|$DEBIAN_MIRROR|g" /etc/apt/sources.list.d/debian.sources; fi; \
    apt-get update; \
    apt-get install -y --no-install-recommends ca-certificates curl; \
    rm -rf /var/lib/apt/lists/*
RUN set -eu; \
    case "${TARGETARCH:-amd64}" in amd64) arch=x64 ;; arm64) arch=arm64 ;; *) echo "no Node build for $TARGETARCH" >&2; exit 1 ;; esac; \
    fetch() { \
      curl -fsSL -o "/tmp/$1.tgz" "$NPM_REGISTRY/$1/-/$1-$2.tgz"; \
      want=$(curl -fsSL "$NPM_REGISTRY/$1/$2" | grep -o '"integrity": *"sha512-[^"]*"' | head -n 1 | cut -d '"' -f 4); \
      got="sha512-$(openssl dgst -sha512 -binary "/tmp/$1.tgz" | openssl base64 -A)"; \
      [ -n "$want" ] && [ "$want" = "$got" ] || { echo "$1-$2.tgz: integrity $got, the registry says $want" >&2; exit 1; }; \
    }; \
    fetch "node-linux-$arch" "$NODE_VERSION"; \
    tar -xzf "/tmp/node-linux-$arch.tgz" -C /tmp package/bin/node; \
    install -m 0755 /tmp/package/bin/node /usr/local/bin/node; \
    fetch npm "$NPM_VERSION"; \
    mkdir -p /usr/local/lib/node_modules/npm; \
    tar -xzf /tmp/npm.tgz -C /usr/local/lib/node_modules/npm --strip-components=1; \
    ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm; \
    rm -rf /tmp/*; \
    node --version; npm --version

# ---- build: compile the workspace and pack the published packages ---------------------------
FROM node AS build
ARG PNPM_VERSION NPM_REGISTRY
RUN npm install -g --no-audit --no-fund --registry="$NPM_REGISTRY" "pnpm@$PNPM_VERSION"
WORKDIR /src
COPY . .
RUN pnpm install --frozen-lockfile --registry="$NPM_REGISTRY" \
 && pnpm build \
 && bash scripts/pack.sh /tarballs

# ---- install: the tarballs, as a user installs them with npm ---------------------------------
# --ignore-scripts: ffmpeg-static would download an ffmpeg. The 2018 ffmpeg that
# @ffmpeg-installer's platform package ships (68 MB) goes too: Debian's, below, is the one used.
# (Not --omit=optional: esbuild's binary, which tsx needs for TypeScript plugins, is optional.)
FROM node AS install
ARG NPM_REGISTRY
COPY --from=build /tarballs /tarballs
WORKDIR /opt/wecom-bot
RUN echo '{ "name": "wecom-bot-image", "private": true }' > package.json \
 && npm install --omit=dev --ignore-scripts --no-audit --no-fund --registry="$NPM_REGISTRY" /tarballs/*.tgz \
 && find node_modules/@ffmpeg-installer -mindepth 1 -maxdepth 1 ! -name ffmpeg -exec rm -rf {} + \
 && rm -rf /root/.npm

# ---- runtime ------------------------------------------------------------------------------------
FROM debian:${DEBIAN_RELEASE}-slim
ARG DEBIAN_MIRROR
RUN set -eu; \
    if [ -n "${DEBIAN_MIRROR:-}" ]; then sed -i "s|http://deb.debian.org|$DEBIAN_MIRROR|g" /etc/apt/sources.list.d/debian.sources; fi; \
    apt-get update; \
    apt-get install -y --no-install-recommends ffmpeg libavcodec-extra ca-certificates tini; \
    rm -rf /var/lib/apt/lists/*; \
    ffmpeg -hide_banner -encoders | grep -q libopencore_amrnb || { echo "this ffmpeg has no AMR-NB encoder" >&2; exit 1; }; \
    groupadd --system --gid 10001 wecom; \
    useradd --system --uid 10001 --gid wecom --home-dir /data --no-create-home --shell /usr/sbin/nologin wecom; \
    mkdir -p /data; chown wecom:wecom /data
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=install /opt/wecom-bot /opt/wecom-bot
COPY docker/healthcheck.mjs /opt/wecom-bot/healthcheck.mjs
# /node_modules: your plugins in /data (plugins/hello.ts) import @wecom-bot/core and find the
# bot's own copy, as Node looks for node_modules in every parent folder.
RUN ln -s /opt/wecom-bot/node_modules/wecom-bot/dist/bin.js /usr/local/bin/wecom-bot \
 && ln -s /opt/wecom-bot/node_modules /node_modules \
 && wecom-bot --version

# data_dir (plugins' files, the disk store) and the working directory, where config.json and
# your plugins/ go. JSON logs on stderr (not a terminal).
ENV NODE_ENV=production \
    DATA_DIR=/data
WORKDIR /data
VOLUME ["/data"]
USER wecom
# wechatcom_app 9898, wecom_bot webhook 9897, wechat_chatbot 9899 (the AI bot's long connection
# needs none).
EXPOSE 9898 9897 9899
# GET /healthz on the configured channel's port; see docker/healthcheck.mjs.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["node", "/opt/wecom-bot/healthcheck.mjs"]
# tini: signals reach wecom-bot (SIGTERM stops it cleanly) and children are reaped.
ENTRYPOINT ["tini", "--", "wecom-bot"]
CMD ["start"]
