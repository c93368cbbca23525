# syntax=docker/dockerfile:1
# One image for all four services; the command picks the service (docker-compose.yml sets it per service):
#   node gateway/dist/index.js                  (the default)
#   node subgraphs/identity/dist/index.js
#   node subgraphs/organizations/dist/index.js
#   node subgraphs/billing/dist/index.js

# The manifests alone, so the dependency layers are rebuilt only when a package.json or the lockfile changes.
FROM node:20-bookworm-slim AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY subgraphs/identity/package.json subgraphs/identity/
COPY subgraphs/organizations/package.json subgraphs/organizations/
COPY subgraphs/billing/package.json subgraphs/billing/
COPY gateway/package.json gateway/

# Every dependency, then the TypeScript build (tsc -b over all workspaces).
FROM manifests AS build
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Production dependencies only: with workspaces, --omit=dev still installs each workspace's own dependencies and
# links the workspaces into node_modules/@orgapi/, so only their compiled dist/ folders need copying in.
FROM manifests AS runtime
# Listen on every interface: inside a container, 127.0.0.1 is unreachable from the other containers.
ENV NODE_ENV=production HOST=0.0.0.0
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/shared/dist shared/dist
COPY --from=build /app/subgraphs/identity/dist subgraphs/identity/dist
COPY --from=build /app/subgraphs/organizations/dist subgraphs/organizations/dist
COPY --from=build /app/subgraphs/billing/dist subgraphs/billing/dist
COPY --from=build /app/gateway/dist gateway/dist
# The committed supergraph, for a gateway started with SUPERGRAPH_FILE=schema/supergraph.graphql.
COPY schema schema
# Files stay owned by root: the services only read them.
USER node
EXPOSE 4000 4001 4002 4003
# V8's young generation fixed at 64 MB, as `npm start` runs the services (scripts/src/start.ts: YOUNG_GENERATION_MB).
CMD ["node", "--min-semi-space-size=64", "--max-semi-space-size=64", "gateway/dist/index.js"]
