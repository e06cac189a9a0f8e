# Rosetta in a container: `docker build -t rosetta .` then see docker-compose.yml / docs/deployment.md.
# Two stages: the first has the whole toolchain and builds; the image keeps only the built server
# (.output, which carries its own node_modules with DuckDB's native binding) and the bundled CLI.

FROM node:22-bookworm-slim AS build
WORKDIR /app
# Dependencies first, so this layer is reused until package.json or package-lock.json change.
# Install scripts wait for the sources: the project's own postinstall (nuxt prepare) needs them.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build

FROM node:22-bookworm-slim
WORKDIR /app
# Settings are NUXT_* variables (see .env.example); these are the ones a container needs to differ.
# The data folder holds the DuckDB file and master.key: it is the volume to keep and back up.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    NUXT_DB_PATH=/data/rosetta.duckdb
COPY --from=build /app/.output ./.output
# The CLI, as `rosetta` on the PATH (`docker exec <container> rosetta health`).
COPY --from=build /app/cli/package.json /app/cli/rosetta.mjs ./cli/
COPY --from=build /app/cli/dist/rosetta.mjs ./cli/dist/rosetta.mjs
RUN ln -s /app/cli/rosetta.mjs /usr/local/bin/rosetta \
 && mkdir -p /data \
 && chown node:node /data
VOLUME /data
EXPOSE 3000
STOPSIGNAL SIGTERM
# The code stays root-owned and read-only to the server; it writes only under /data.
USER node
# /health on whatever PORT the container is given; answers 200 once the boot has finished.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", ".output/server/index.mjs"]
