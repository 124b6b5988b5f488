import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { reviewCss } from '../../review/html/styles.js';

/**
 * The page's scripts and styles, served by the server itself (no CDN, no build step): htmx and
 * uPlot from node_modules at the versions package.json pins, and the page's own small CSS and
 * script from src/server/static, and the review's CSS that the HTML report uses too. Each file is read once at start; an ETag lets a browser keep it.
 */
const require = createRequire(import.meta.url);
const own = (file: string) => fileURLToPath(new URL(`../static/${file}`, import.meta.url));

const file = (path: string) => () => readFileSync(path);

const ASSETS = {
  'htmx.min.js': { read: file(require.resolve('htmx.org/dist/htmx.min.js')), type: 'js' },
  'uPlot.iife.min.js': { read: file(require.resolve('uplot/dist/uPlot.iife.min.js')), type: 'js' },
  'uPlot.min.css': { read: file(require.resolve('uplot/dist/uPlot.min.css')), type: 'css' },
  /** The report's styles (first screen, criteria, evidence): the page shows the same partials. */
  'review.css': { read: () => Buffer.from(reviewCss, 'utf8'), type: 'css' },
  'page.css': { read: file(own('page.css')), type: 'css' },
  'page.js': { read: file(own('page.js')), type: 'js' },
} as const;

export type Asset = keyof typeof ASSETS;

/** Where the page finds an asset: `/static/htmx.min.js?v=<hash>` (the hash busts caches). */
export const STATIC = '/static';

const TYPES = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

interface Loaded {
  body: Buffer;
  etag: string;
  type: string;
}

let loaded: Map<Asset, Loaded> | undefined;

function load(): Map<Asset, Loaded> {
  loaded ??= new Map(
    (Object.keys(ASSETS) as Asset[]).map((name) => {
      const a = ASSETS[name];
      const body = a.read();
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
      return [name, { body, etag, type: TYPES[a.type] }];
    }),
  );
  return loaded;
}

/** The URL of an asset, with its content hash so a new version is fetched at once. */
export const assetUrl = (name: Asset): string =>
  `${STATIC}/${name}?v=${load().get(name)!.etag.slice(1, 9)}`;

export function staticRoutes(app: FastifyInstance): void {
  const files = load();
  app.get<{ Params: { file: string } }>(
    `${STATIC}/:file`,
    { config: { access: 'public' } },
    async (request, reply) => {
      const f = files.get(request.params.file as Asset);
      if (!f) return reply.code(404).type('text/plain; charset=utf-8').send('no such file\n');
      reply.header('etag', f.etag).header('cache-control', 'public, max-age=3600, must-revalidate');
      if (request.headers['if-none-match'] === f.etag) return reply.code(304).send();
      return reply.type(f.type).send(f.body);
    },
  );
}
