# syntax=docker/dockerfile:1
# The Temporal worker (no HTTP server). Build from the repository root:
#   docker build -f docker/worker.Dockerfile -t dipb-worker .
#
# Workflow code: unless WORKFLOW_BUNDLE_PATH points at a prebuilt bundle, the worker bundles
# workflows/index.ts at start (webpack inside @temporalio/worker, path aliases from
# tsconfig.json). So this image keeps the workflow sources, the libraries they import,
# tsconfig.json and nest-cli.json (the worker finds the repository root by it).

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/nest-cli.json /app/tsconfig.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/workflows ./workflows
COPY --from=build --chown=node:node /app/libs ./libs
COPY --from=build --chown=node:node /app/docker/worker-healthcheck.mjs ./docker/worker-healthcheck.mjs
USER node
# Healthy when the Temporal server sees this container's worker polling the task queue.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "docker/worker-healthcheck.mjs"]
# Graceful shutdown: in-flight activities get WORKER_SHUTDOWN_GRACE before being handed back.
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "--max-old-space-size=256", "--max-semi-space-size=8", "dist/apps/worker/src/main.js"]
