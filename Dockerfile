# syntax=docker/dockerfile:1
# Pushpage demo server. Build: docker build -t pushpage:0.1.0 .
# Three stages: production dependencies, the build, and a runtime image holding only the
# package manifests, package-lock.json, production node_modules and the compiled code: the demo
# (dist/apps) and the pushpage library package it imports (libs/pushpage/dist, with the browser
# runtime in libs/pushpage/dist/client).

# Production dependencies only (no TypeScript, esbuild, Jest, ...), installed from the lockfile.
FROM node:24.21-bookworm-slim AS deps
WORKDIR /app
ENV SCARF_ANALYTICS=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false
COPY package.json package-lock.json ./
COPY libs/pushpage/package.json ./libs/pushpage/
COPY client/package.json ./client/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# The build: every dependency, then `npm run build` (the library and its browser runtime into
# libs/pushpage/dist, the demo into dist/apps).
FROM node:24.21-bookworm-slim AS build
WORKDIR /app
ENV SCARF_ANALYTICS=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false
COPY package.json package-lock.json ./
COPY libs/pushpage/package.json ./libs/pushpage/
COPY client/package.json ./client/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Runtime: runs as the image's unprivileged `node` user (uid and gid 1000) and writes nothing
# to disk, so it works with a read-only root file system.
FROM node:24.21-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000
COPY --from=deps /app/package.json /app/package-lock.json ./
COPY --from=deps /app/libs/pushpage/package.json ./libs/pushpage/
COPY --from=deps /app/client/package.json ./client/
# node_modules/pushpage is a link to libs/pushpage (an npm workspace)
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/libs/pushpage/dist ./libs/pushpage/dist
COPY --from=build /app/dist/apps ./dist/apps
USER 1000:1000
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is the container's main process and receives SIGTERM directly.
CMD ["node", "dist/apps/demo/main.js"]
