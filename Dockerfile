# One image for every part of mesh-security-indexer: the command chooses what it runs
# (docker-compose.yml, docs/deploy.md):
#   node --import tsx src/api/cli.ts            the GraphQL API (the default)
#   node --import tsx src/indexer/cli.ts run    the indexer
#   node --import tsx src/devnet/serve.ts       the live devnet
#   node --import tsx src/deploy/migrate.ts     the schema, once
# Node runs the TypeScript sources through tsx (as `npm start` does), so there is no build step.
FROM node:20-bookworm-slim

WORKDIR /app
RUN chown node:node /app
# the image's unprivileged user (uid 1000) installs and runs everything
USER node

# Dependencies first, so a source change reuses this layer. Nothing but the npm registry is reached:
# install scripts are off (@prisma/engines' would fetch engine binaries from Prisma's servers, which
# the pg driver adapter and the offline generator of prisma.config.ts do not need); the two the image
# needs run explicitly: esbuild's (tsx) and the project's own postinstall, `prisma generate`. The
# embedded PostgreSQL is not prepared: in a container DATABASE_URL always names a server.
COPY --chown=node:node package.json package-lock.json prisma.config.ts ./
COPY --chown=node:node prisma ./prisma
RUN npm ci --ignore-scripts --no-audit --no-fund \
    && npm rebuild esbuild \
    && npx prisma generate --no-hints \
    && npm cache clean --force

COPY --chown=node:node . .

# Inside a container the servers listen on every interface; compose publishes only what it maps.
# NODE_ENV stays unset: Apollo would turn introspection off, and GraphiQL needs it.
ENV API_HOST=0.0.0.0 \
    RPC_HOST=0.0.0.0
EXPOSE 4000 26657 26658

CMD ["node", "--import", "tsx", "src/api/cli.ts"]
