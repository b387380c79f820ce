// GET /graphql from a browser (Accept prefers text/html, no `query` parameter) gets the GraphiQL page;
// every other request to /graphql goes on to the GraphQL handler. Assets under /graphiql/assets/.
import express, { type Router } from 'express';
import { sendGraphQLError } from '../plugins/http-errors.ts';
import { graphiqlAssets } from './assets.ts';
import { ASSETS_PATH, graphiqlCsp, graphiqlHtml, graphiqlInitScript } from './page.ts';

export function graphiqlRoutes(graphqlPath = '/graphql'): Router {
  const assets = graphiqlAssets();
  const html = graphiqlHtml();
  const init = graphiqlInitScript();
  const router = express.Router();

  router.get(graphqlPath, (req, res, next) => {
    const wantsPage = req.query.query === undefined && req.accepts(['application/graphql-response+json', 'application/json', 'text/html']) === 'text/html';
    if (!wantsPage) return next();
    res
      .status(200)
      .set({ 'Content-Security-Policy': graphiqlCsp(req.headers.host), 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache', Vary: 'Accept' })
      .type('text/html; charset=utf-8')
      .send(html);
  });

  router.get(`${ASSETS_PATH}/init.js`, (_req, res) => {
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' }).type('text/javascript; charset=utf-8').send(init);
  });

  router.get(`${ASSETS_PATH}/:name`, (req, res, next) => {
    const asset = Object.hasOwn(assets, req.params.name) ? assets[req.params.name] : undefined;
    if (!asset) return sendGraphQLError(res, 404, 'NOT_FOUND', `no GraphiQL asset named ${req.params.name.slice(0, 100)}`);
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'public, max-age=3600' }).type(asset.type);
    res.sendFile(asset.file, (err) => {
      if (err && !res.headersSent) next(err);
    });
  });

  return router;
}
