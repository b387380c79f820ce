// The files GraphiQL needs, served by the API itself from installed npm packages (issue 5: GraphiQL
// offline, no CDN): graphiql's UMD build and stylesheet, and the React 18 UMD builds it runs on.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

export interface Asset {
  file: string;
  type: string;
}

/** Public name (under /graphiql/assets/) → file on disk. */
export function graphiqlAssets(): Record<string, Asset> {
  const graphiql = packageDir('graphiql');
  const react = packageDir('react');
  const reactDom = packageDir('react-dom');
  const js = 'text/javascript; charset=utf-8';
  const assets: Record<string, Asset> = {
    'react.production.min.js': { file: path.join(react, 'umd/react.production.min.js'), type: js },
    'react-dom.production.min.js': { file: path.join(reactDom, 'umd/react-dom.production.min.js'), type: js },
    'graphiql.min.js': { file: path.join(graphiql, 'graphiql.min.js'), type: js },
    'graphiql.min.js.map': { file: path.join(graphiql, 'graphiql.min.js.map'), type: 'application/json' },
    'graphiql.min.css': { file: path.join(graphiql, 'graphiql.min.css'), type: 'text/css; charset=utf-8' },
  };
  for (const [name, a] of Object.entries(assets)) {
    if (!existsSync(a.file)) throw new Error(`GraphiQL asset ${name} is missing (${a.file}): run npm install`);
  }
  return assets;
}
