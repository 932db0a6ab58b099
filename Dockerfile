# syntax=docker/dockerfile:1
# Butler CRM image: one image, three roles, chosen by the command:
#   API + workers (default)  node dist/apps/api/src/main.js --with-workers
#   API only                 node dist/apps/api/src/main.js
#   workers only             node dist/apps/worker/src/main.js
# Migrations run at start (DATABASE_MIGRATE_ON_START, under an advisory lock), so no separate step.

ARG NODE_IMAGE=node:22.12.0-bookworm-slim

# All dependencies: the Nest CLI and TypeScript are dev dependencies and the build needs them.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

# Compiles api, worker, libs and migrations into dist/ (dist/apps/*/src/main.js, dist/migrations/...)
# and the web console into dist/web (served by the API at /).
FROM deps AS build
COPY nest-cli.json tsconfig*.json ./
COPY apps ./apps
COPY libs ./libs
COPY migrations ./migrations
COPY scripts ./scripts
RUN npm run build && rm -f dist/.tsbuildinfo

# Production dependencies only, installed separately so no dev tooling reaches the runtime image.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
# npm installs peer dependencies too: typeorm's optional ts-node (and TypeScript with it, also a
# peer of bull-board's valibot) would add about 25 MB the runtime never loads (it runs compiled JS;
# checked by loading the API, the worker and the migrations without them).
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund \
  && rm -rf node_modules/typescript node_modules/ts-node node_modules/@cspotcode node_modules/@tsconfig

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Code and dependencies stay root-owned (read-only for the app); only var/ is writable.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# OUTBOX_DIR (default var/outbox, relative to /app) receives .eml files when SMTP_URL is unset.
RUN mkdir -p /app/var/outbox && chown -R node:node /app/var
USER node
EXPOSE 3000
# Only the API serves /health; worker-only containers must disable this (compose does).
# The long start period covers migrations on first boot.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node is PID 1 and handles SIGTERM itself (graceful drain bounded by SHUTDOWN_TIMEOUT_MS).
STOPSIGNAL SIGTERM
CMD ["node", "dist/apps/api/src/main.js", "--with-workers"]
