# syntax=docker/dockerfile:1
# The guide bot in one image: `docker build -t dvc-bot .` then see docker-compose.yml.
# No compile step: the TypeScript sources run through tsx (a production dependency).
# The Node line the tests run on (package.json engines: >=20.19; test/production/dockerfile.test.ts
# checks that this is the major version of the Node running the tests).
ARG NODE_VERSION=20

# ── deps: production dependencies only, exactly as locked ────────────────────
FROM node:${NODE_VERSION}-alpine AS deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# ── build: the sources and content, and the content must pass its check ──────
FROM deps AS build
COPY tsconfig.json ./
COPY src ./src
COPY content ./content
RUN npm run content:check

# ── runtime: small, read-only code, non-root ─────────────────────────────────
FROM node:${NODE_VERSION}-alpine AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    CONTENT_DIR=/app/content
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/package.json /app/tsconfig.json ./
COPY --from=build /app/src ./src
COPY --from=build /app/content ./content
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM (docker stop) reaches node, which stops gracefully (src/main.ts); compose adds a tiny init.
CMD ["node", "--import", "tsx", "src/main.ts"]
