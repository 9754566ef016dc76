# syntax=docker/dockerfile:1
# codex-lb as a container: the build stage compiles the server and the dashboard and packs the npm
# package; the runtime stage holds that package with its production dependencies only.
#   docker build -t codex-lb .
#   docker run -p 2455:2455 -p 1455:1455 -v codex-lb-data:/data codex-lb

FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles SQLite when no prebuilt addon fits.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Manifests first, so the dependency layer is reused while only the source changes.
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY web/package.json web/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm pack --ignore-scripts --pack-destination /tmp/pack
# What `npx codex-lb` installs: the packed package and its production dependencies.
WORKDIR /app
RUN echo '{ "name": "codex-lb-image", "private": true }' > package.json \
  && npm install --omit=dev --no-audit --no-fund /tmp/pack/codex-lb-*.tgz

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    CODEX_LB_HOST=0.0.0.0 \
    CODEX_LB_PORT=2455 \
    CODEX_LB_OAUTH_CALLBACK_HOST=0.0.0.0 \
    CODEX_LB_OAUTH_CALLBACK_PORT=1455 \
    CODEX_LB_DATA_DIR=/data \
    CODEX_LB_LOG_FORMAT=json
COPY --from=build /app /app
# The data dir holds the SQLite database and the encryption key: owned by the unprivileged user.
RUN mkdir -p /data && chown node:node /data
USER node
WORKDIR /data
VOLUME /data
# 2455: proxy, API and dashboard. 1455: the ChatGPT sign-in redirect (localhost:1455).
EXPOSE 2455 1455
# Node's fetch: the slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.CODEX_LB_PORT || 2455) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# `docker run codex-lb accounts list` runs a CLI command; no arguments serve.
ENTRYPOINT ["node", "/app/node_modules/codex-lb/server/bin/codex-lb.js"]
