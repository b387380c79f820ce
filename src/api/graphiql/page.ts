// The GraphiQL page: HTML that loads only same-origin assets (/graphiql/assets/*) and a small start
// script, with a Content-Security-Policy that forbids any other origin, so nothing is fetched from a
// CDN or the network even by accident.

export const ASSETS_PATH = '/graphiql/assets';

const DEFAULT_QUERY = `# Mesh Security indexer API. Ctrl-Enter runs the query.
{
  apiVersion
}
`;

export function graphiqlHtml(): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Mesh Security indexer · GraphiQL</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${ASSETS_PATH}/graphiql.min.css" />
    <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script src="${ASSETS_PATH}/react.production.min.js"></script>
    <script src="${ASSETS_PATH}/react-dom.production.min.js"></script>
    <script src="${ASSETS_PATH}/graphiql.min.js"></script>
    <script src="${ASSETS_PATH}/init.js"></script>
  </body>
</html>
`;
}

/** Starts GraphiQL against this server: queries over HTTP, subscriptions over WebSocket, same path. */
export function graphiqlInitScript(): string {
  return `'use strict';
(function () {
  var endpoint = location.origin + location.pathname;
  var ws = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + location.pathname;
  var fetcher = GraphiQL.createFetcher({ url: endpoint, subscriptionUrl: ws });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: ${JSON.stringify(DEFAULT_QUERY)}, defaultEditorToolsVisibility: true }));
})();
`;
}

/** Same-origin only; the WebSocket endpoint is named from the request's own Host. */
export function graphiqlCsp(host: string | undefined): string {
  const safeHost = host && /^[A-Za-z0-9.:[\]-]{1,255}$/.test(host) ? host : null;
  const ws = safeHost ? ` ws://${safeHost} wss://${safeHost}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self'${ws}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
