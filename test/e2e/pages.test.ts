import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrganisation } from '../../src/demo/generate-org.js';
import { profiles } from '../../src/demo/profiles.js';
import { loadDefaultRules } from '../../src/engine/index.js';
import { importRecords } from '../../src/jobs/import-records.js';
import { takeSnapshot } from '../../src/jobs/take-snapshot.js';
import { createApiToken, type TokenRole } from '../../src/server/api-tokens.js';
import { buildServer } from '../../src/server/app.js';
import { SecretBox } from '../../src/store/secrets.js';
import type { Store } from '../../src/store/store.js';
import { seedDemo } from './demo-data.js';
import { memoryStore } from '../helpers/store-template.js';

const rules = loadDefaultRules();
const HOST = 'review.test';

/**
 * The review page's routes without a browser (fastify inject): sign-in redirects, the assets it
 * serves itself, the policy that keeps it to them, and the decision forms as a browser without
 * script posts them — recorded, refused in one sentence, or refused from another site.
 */
describe('the review page routes', () => {
  let store: Store;
  let app: FastifyInstance;
  const tokens = {} as Record<TokenRole, string>;

  beforeAll(async () => {
    store = await memoryStore();
    await seedDemo(store, rules);
    for (const role of ['viewer', 'reviewer', 'admin'] as const)
      tokens[role] = (await createApiToken(store, `${role}-1`, role)).token;
    app = await buildServer({ store, rules, box: new SecretBox('pages-test-'.padEnd(40, 'x')) });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  const get = (url: string, as?: TokenRole, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'GET',
      url,
      headers: {
        host: HOST,
        ...(as ? { cookie: `maturity_token=${tokens[as]}` } : {}),
        ...headers,
      },
    });

  /** A form post as a browser without script sends it, from this server's own page. */
  const post = (
    url: string,
    form: Record<string, string>,
    as: TokenRole = 'reviewer',
    headers: Record<string, string> = {},
  ) =>
    app.inject({
      method: 'POST',
      url,
      headers: {
        host: HOST,
        origin: `http://${HOST}`,
        'content-type': 'application/x-www-form-urlencoded',
        cookie: `maturity_token=${tokens[as]}`,
        ...headers,
      },
      payload: new URLSearchParams(form).toString(),
    } as InjectOptions);

  const trail = async () => store.decisions((await store.getAccount('acme')).id);

  it('sends a browser without a token to the sign-in page, and htmx there too', async () => {
    const page = await get('/accounts/acme');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Faccounts%2Facme');
    const swap = await get('/accounts/acme', undefined, { 'hx-request': 'true' });
    expect(swap.statusCode).toBe(401);
    expect(swap.headers['hx-redirect']).toBe('/login?next=%2Faccounts%2Facme');
    const login = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { host: HOST, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ token: tokens.viewer, next: '//evil.example/' }).toString(),
    });
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe('/');
    expect(String(login.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
  });

  it('serves htmx and uPlot itself, and its pages name no other origin', async () => {
    const html = (await get('/accounts/acme/criteria/ftworks/kb-articles-refreshed-12m', 'viewer'))
      .body;
    const assets = [...html.matchAll(/(?:src|href)="(\/static\/[^"?]+)[^"]*"/g)].map((m) => m[1]);
    expect(assets).toEqual(
      expect.arrayContaining([
        '/static/htmx.min.js',
        '/static/uPlot.iife.min.js',
        '/static/uPlot.min.css',
        '/static/page.js',
      ]),
    );
    for (const path of assets) {
      const res = await get(path!);
      expect(res.statusCode, path).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/(javascript|css)/);
      const again = await get(path!, undefined, { 'if-none-match': String(res.headers.etag) });
      expect(again.statusCode).toBe(304);
    }
    expect((await get('/static/htmx.min.js')).body).toContain('4.0.1');
    for (const path of ['/', '/accounts/acme', '/accounts/acme/history', '/login']) {
      const res = await get(path, 'viewer');
      expect(res.statusCode, path).toBe(200);
      expect(res.body, path).not.toMatch(/(src|href|action)="(https?:)?\/\//);
      expect(res.headers['content-security-policy'], path).toMatch(/default-src 'self'/);
    }
  });

  it('records a dispute posted without script and comes back to the page', async () => {
    const before = (await trail()).length;
    const res = await post('/accounts/acme/decide/dispute', {
      back: '/accounts/acme/criteria/ftworks/kb-articles-refreshed-12m',
      criterion: 'ftworks/kb-articles-refreshed-12m',
      inPlace: 'no',
      reason: 'Half the refreshed articles only had their footer changed.',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/accounts/acme/criteria/ftworks/kb-articles-refreshed-12m');
    const all = await trail();
    expect(all).toHaveLength(before + 1);
    expect(all.at(-1)).toMatchObject({
      kind: 'dispute',
      criterionId: 'kb-articles-refreshed-12m',
      inPlace: false,
      actor: 'reviewer-1',
    });
    const page = await get('/accounts/acme/criteria/ftworks/kb-articles-refreshed-12m', 'viewer');
    expect(page.body).toMatch(/⚑<\/span> disputed/);
    expect(page.body).toContain('Half the refreshed articles only had their footer changed.');
  });

  it('refuses a bad decision in one sentence naming the field, and stores nothing', async () => {
    const before = (await trail()).length;
    const page = await post('/accounts/acme/decide/attest', {
      back: '/accounts/acme',
      criterion: 'ftworks/yearly-support-goals',
      reason: '   ',
    });
    expect(page.statusCode).toBe(422);
    expect(page.body).toMatch(/Reason is required: say why\./);
    const swap = await post(
      '/accounts/acme/decide/override',
      { layer: 'ftworks/metrics', level: '9', reason: 'Because.' },
      'reviewer',
      { 'hx-request': 'true' },
    );
    expect(swap.statusCode).toBe(422);
    expect(swap.body).toMatch(/^<p class="error" role="alert">Decided level must be from 0 to 5/);
    expect(await trail()).toHaveLength(before);
  });

  it('refuses a decision posted from another site, or by a viewer', async () => {
    const before = (await trail()).length;
    const form = {
      criterion: 'ftworks/yearly-support-goals',
      reason: 'A page elsewhere says so.',
    };
    const cross = await post('/accounts/acme/decide/attest', form, 'reviewer', {
      origin: 'http://evil.example',
    });
    expect(cross.statusCode).toBe(403);
    expect(cross.body).toMatch(/from this server’s own page/);
    const fetched = await post('/accounts/acme/decide/attest', form, 'reviewer', {
      'sec-fetch-site': 'cross-site',
    });
    expect(fetched.statusCode).toBe(403);
    const viewer = await post('/accounts/acme/decide/attest', form, 'viewer');
    expect(viewer.statusCode).toBe(403);
    expect(viewer.headers['content-type']).toMatch(/^text\/html/);
    expect(await trail()).toHaveLength(before);
  });

  it('exempts a whole model, then revokes it: both stay in the trail', async () => {
    const exempt = await post(
      '/accounts/acme/decide/exempt',
      {
        criterion: 'engagement/partner-handles-tickets',
        scope: 'model',
        reason: 'Acme runs its support in-house and has no partner.',
        expires: new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10),
      },
      'reviewer',
      { 'hx-request': 'true' },
    );
    expect(exempt.statusCode, exempt.body).toBe(200);
    expect(exempt.body).toMatch(/<hx-partial hx-target="#queue" hx-swap="outerHTML">/);
    expect(exempt.body).toMatch(/Recorded #\d+: not applicable engagement \(whole model\)/);
    const made = (await trail()).at(-1)!;
    expect(made).toMatchObject({ kind: 'exempt', model: 'engagement' });
    expect(made.criterionId).toBeUndefined();
    expect((await get('/accounts/acme', 'viewer')).body).toMatch(
      /id="exempt"[^]*Engagement maturity with a support partner/,
    );

    const revoke = await post('/accounts/acme/decide/revoke', {
      back: '/accounts/acme',
      decision: String(made.id),
      reason: 'They signed a partner after all.',
    });
    expect(revoke.statusCode).toBe(303);
    expect((await trail()).at(-1)).toMatchObject({ kind: 'revoke', revokes: made.id });
    const page = (await get('/accounts/acme', 'viewer')).body;
    expect(page).toMatch(new RegExp(`data-decision="${made.id}"[^]*?↶</span> revoked`));
  });

  it('says "not found" as a page for an unknown account or criterion', async () => {
    const account = await get('/accounts/nobody', 'viewer');
    expect(account.statusCode).toBe(404);
    expect(account.headers['content-type']).toMatch(/^text\/html/);
    expect(account.body).toContain('no account named &quot;nobody&quot;');
    const criterion = await get('/accounts/acme/criteria/ftworks/no-such-thing', 'viewer');
    expect(criterion.statusCode).toBe(404);
    expect(criterion.body).toContain('ftworks/no-such-thing');
  });
});

describe('the review page with --insecure-local and no token', () => {
  let store: Store;
  let app: FastifyInstance;
  beforeAll(async () => {
    store = await memoryStore();
    const batch = generateOrganisation(profiles.structured, { tickets: 120, now: new Date() });
    const { account } = await importRecords(store, 'solo', batch);
    await takeSnapshot(store, account, { rules, window: '90d' });
    app = await buildServer({
      store,
      rules,
      box: new SecretBox('pages-test-'.padEnd(40, 'x')),
      insecureLocal: true,
    });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('opens without signing in, as "local", and still refuses a post from another site', async () => {
    const page = await app.inject({ method: 'GET', url: '/', headers: { host: HOST } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(
      /local\s*<span class="role">\s*\(admin, no token: --insecure-local\)/,
    );
    // Without Redis there is no Bull Board: the link says it leads to the counts as JSON.
    expect(page.body).toMatch(/<a href="\/api\/v1\/queue"[^>]*>\s*Queue \(JSON\)\s*<\/a/);
    const form = new URLSearchParams({
      criterion: 'ftworks/yearly-support-goals',
      reason: 'Posted by a page on another site.',
    }).toString();
    const headers = { host: HOST, 'content-type': 'application/x-www-form-urlencoded' };
    const cross = await app.inject({
      method: 'POST',
      url: '/accounts/solo/decide/attest',
      headers: { ...headers, origin: 'http://evil.example' },
      payload: form,
    });
    expect(cross.statusCode).toBe(403);
    expect(await store.decisions()).toHaveLength(0);
    const own = await app.inject({
      method: 'POST',
      url: '/accounts/solo/decide/attest',
      headers: { ...headers, origin: `http://${HOST}` },
      payload: form,
    });
    expect(own.statusCode).toBe(303);
    expect(await store.decisions()).toMatchObject([{ kind: 'attest', actor: 'local' }]);
    expect((await store.decisions())[0]!.token).toBeUndefined();
  });
});
