import { Validator } from '@seriousme/openapi-schema-validator';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type TokenRole } from '../../src/server/api-tokens.js';
import { Problem } from '../../src/server/problem.js';
import { startZendeskSimulator, type ZendeskSimulator } from '../../src/simulator/index.js';
import { backends } from '../helpers/backends.js';
import { takeSnapshot } from '../../src/jobs/take-snapshot.js';
import { apiHarness, box, importedAccount, rules, type Harness } from './harness.js';

type Access = TokenRole | 'public';

/**
 * Who may call what (issue 11): viewers read; reviewers also decide; admins also manage
 * accounts, tokens, schedules, snapshots and the queue. Every documented operation is here.
 */
const ROUTES: [string, string, Access][] = [
  ['GET', '/healthz', 'public'],
  ['GET', '/readyz', 'public'],
  ['POST', '/api/v1/session', 'public'],
  ['DELETE', '/api/v1/session', 'public'],
  ['GET', '/api/v1/me', 'viewer'],
  ['GET', '/api/v1/accounts', 'viewer'],
  ['POST', '/api/v1/accounts', 'admin'],
  ['GET', '/api/v1/accounts/{account}', 'viewer'],
  ['DELETE', '/api/v1/accounts/{account}', 'admin'],
  ['GET', '/api/v1/accounts/{account}/snapshots', 'viewer'],
  ['POST', '/api/v1/accounts/{account}/snapshots', 'admin'],
  ['GET', '/api/v1/jobs/{id}', 'admin'],
  ['GET', '/api/v1/queue', 'admin'],
  ['GET', '/api/v1/tokens', 'admin'],
  ['POST', '/api/v1/tokens', 'admin'],
  ['DELETE', '/api/v1/tokens/{name}', 'admin'],
  ['GET', '/api/v1/accounts/{account}/snapshots/latest', 'viewer'],
  ['GET', '/api/v1/accounts/{account}/snapshots/{id}', 'viewer'],
  ['GET', '/api/v1/accounts/{account}/snapshots/{id}/diff', 'viewer'],
  ['GET', '/api/v1/accounts/{account}/actions', 'viewer'],
  ['GET', '/api/v1/accounts/{account}/decisions', 'viewer'],
  ['GET', '/api/v1/accounts/{account}/decisions/pending', 'viewer'],
  ['POST', '/api/v1/accounts/{account}/decisions/attest', 'reviewer'],
  ['POST', '/api/v1/accounts/{account}/decisions/dispute', 'reviewer'],
  ['POST', '/api/v1/accounts/{account}/decisions/exempt', 'reviewer'],
  ['POST', '/api/v1/accounts/{account}/decisions/override', 'reviewer'],
  ['POST', '/api/v1/accounts/{account}/decisions/{decision}/revoke', 'reviewer'],
  ['GET', '/api/v1/accounts/{account}/audit.csv', 'viewer'],
  ['GET', '/api/v1/audit.csv', 'viewer'],
  ['GET', '/api/v1/accounts/{account}/report.html', 'viewer'],
  ['GET', '/api/v1/schedules', 'viewer'],
  ['PUT', '/api/v1/accounts/{account}/schedule', 'admin'],
  // The report at the page's address (not part of the JSON API's document).
  ['GET', '/accounts/{account}/report.html', 'viewer'],
];
/** Routes outside the OpenAPI document. */
const UNDOCUMENTED = ['GET /accounts/{account}/report.html'];

const ACCOUNT = 'acme';
let snapshotId = 0;
let jobId = '';
const fill = (path: string) =>
  path
    .replace('{account}', ACCOUNT)
    .replace(
      '{id}',
      path.startsWith('/api/v1/jobs/') ? encodeURIComponent(jobId) : String(snapshotId),
    )
    .replace('{decision}', '1')
    .replace('{name}', 'viewer-1');

/** The problem+json body of a response, checked against its schema. */
function problemOf(res: { headers: Record<string, unknown>; body: string }) {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return Problem.parse(JSON.parse(res.body));
}

describe.each(backends)('the HTTP API on $name', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await apiHarness(backend);
    const account = await importedAccount(h.store, ACCOUNT);
    // Two snapshots, so that the latest has one before it to diff against.
    const earlier = new Date(Date.now() - 5 * 86_400_000).toISOString().slice(0, 10);
    await takeSnapshot(h.store, account, { rules, window: '90d', asOf: earlier });
    await takeSnapshot(h.store, account, { rules, window: '90d' });
    snapshotId = (await h.store.listSnapshots(account.id)).at(-1)!.id;
    // A job to read: a snapshot (of the same day, so it replaces the one above) taken through the API.
    const job = await h.call('POST', `/api/v1/accounts/${ACCOUNT}/snapshots`, { body: {} });
    jobId = (JSON.parse(job.body) as { id: string }).id;
  });
  afterAll(async () => h?.close());

  it('documents exactly the routes of the role table, in a valid OpenAPI 3.1 document', async () => {
    const res = await h.call('GET', '/api/v1/openapi.json', { as: 'none' });
    expect(res.statusCode).toBe(200);
    const doc = JSON.parse(res.body) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(
      ROUTES.map(([m, p]) => `${m} ${p}`)
        .filter((r) => !UNDOCUMENTED.includes(r))
        .sort(),
    );
  });

  it('serves Swagger UI from the server itself, no CDN', async () => {
    const page = await h.call('GET', '/api/v1/docs/', { as: 'none' });
    expect(page.statusCode).toBe(200);
    const html = page.body;
    expect(html).not.toMatch(/(src|href)="https?:\/\//);
    const script = /src="\.?\/?([^"]*swagger-ui-bundle\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await h.call('GET', `/api/v1/docs/${script!.replace(/^.*?static\//, 'static/')}`, {
      as: 'none',
    });
    expect(js.statusCode).toBe(200);
  });

  const closed = ROUTES.filter(([, , access]) => access !== 'public');
  it.each(closed)('%s %s answers 401 without a token or with a bad one', async (method, path) => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer mat_not-a-real-token' },
      { authorization: 'Basic abc' },
    ]) {
      const res = await h.call(method as 'GET', fill(path), { as: 'none', headers });
      expect(res.statusCode, JSON.stringify(headers)).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(problemOf(res)).toMatchObject({ status: 401, code: 'E_UNAUTHORIZED' });
    }
  });

  it.each(closed)('%s %s needs a %s token at least', async (method, path, access) => {
    for (const role of ROLES) {
      const allowed = ROLES.indexOf(role) >= ROLES.indexOf(access as TokenRole);
      // Only reads run through: the others are refused before they act, or they would act.
      if (allowed && method !== 'GET') continue;
      const res = await h.call(method as 'GET', fill(path), { as: role });
      if (allowed) expect([401, 403], `${role} ${res.body}`).not.toContain(res.statusCode);
      else {
        expect(res.statusCode, role).toBe(403);
        expect(problemOf(res)).toMatchObject({
          code: 'E_FORBIDDEN',
          detail: expect.stringContaining(`is a ${role} token`) as unknown,
        });
      }
    }
  });

  it('answers every documented read with a documented status and content type (the serializer holds each answer to its schema)', async () => {
    const doc = JSON.parse((await h.call('GET', '/api/v1/openapi.json')).body) as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
      >;
    };
    let walked = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      const get = ops.get;
      if (!get) continue;
      const res = await h.call('GET', fill(path), { as: 'admin' });
      const documented = get.responses[String(res.statusCode)];
      expect(documented, `${path}: ${res.statusCode} ${res.body.slice(0, 300)}`).toBeDefined();
      expect(res.statusCode, `${path}: ${res.body.slice(0, 300)}`).toBeLessThan(300);
      const types = Object.keys(documented!.content ?? { 'application/json': {} });
      const type = String(res.headers['content-type']).split(';')[0]!;
      expect(types, path).toContain(type);
      walked++;
    }
    expect(walked).toBe(
      ROUTES.filter(([m, p]) => m === 'GET' && !UNDOCUMENTED.includes(`${m} ${p}`)).length,
    );
  });

  it('says who a token is: the actor the audit trail records', async () => {
    const res = await h.call('GET', '/api/v1/me', { as: 'reviewer' });
    expect(JSON.parse(res.body)).toEqual({ name: 'reviewer-1', role: 'reviewer', via: 'token' });
  });

  it.each([
    [
      'GET',
      `/api/v1/accounts/no-such`,
      undefined,
      'E_ACCOUNT_NOT_FOUND',
      /no account named "no-such"/,
    ],
    ['GET', `/api/v1/accounts/no-such/snapshots`, undefined, 'E_ACCOUNT_NOT_FOUND', /no-such/],
    ['POST', `/api/v1/accounts/no-such/snapshots`, {}, 'E_ACCOUNT_NOT_FOUND', /no-such/],
    ['GET', '/api/v1/jobs/inline-0000', undefined, 'E_NOT_FOUND', /no job "inline-0000"/],
    ['DELETE', '/api/v1/tokens/nobody', undefined, 'E_NOT_FOUND', /no live token named "nobody"/],
    [
      'GET',
      '/api/v1/nothing-here',
      undefined,
      'E_NOT_FOUND',
      /no route GET \/api\/v1\/nothing-here/,
    ],
  ])('%s %s is 404 with its code', async (method, url, body, code, detail) => {
    const res = await h.call(method as 'GET', url, { body });
    expect(res.statusCode).toBe(404);
    expect(problemOf(res)).toMatchObject({
      status: 404,
      code,
      detail: expect.stringMatching(detail) as unknown,
    });
  });

  it.each([
    ['GET', '/api/v1/accounts/bad name!', undefined, 'params', 'account', /must be 1-63 letters/],
    [
      'POST',
      '/api/v1/tokens',
      { name: 'ci', role: 'owner' },
      'body',
      'role',
      /viewer|reviewer|admin|Invalid option/,
    ],
    [
      'POST',
      '/api/v1/tokens',
      { name: 'ci', role: 'viewer', extra: 1 },
      'body',
      '(whole)',
      /extra/,
    ],
    [
      'POST',
      `/api/v1/accounts/${ACCOUNT}/snapshots`,
      { window: '3y' },
      'body',
      'window',
      /must be like 90d, 6m or all/,
    ],
    [
      'POST',
      `/api/v1/accounts/${ACCOUNT}/snapshots`,
      { asOf: 'yesterday' },
      'body',
      'asOf',
      /yesterday/,
    ],
    [
      'GET',
      '/api/v1/tokens',
      undefined,
      'querystring',
      'includeRevoked',
      /./,
      { includeRevoked: 'maybe' },
    ],
  ])(
    '%s %s with a bad %s.%s is 400 naming the field',
    async (method, url, body, where, field, message, query?: Record<string, string>) => {
      const res = await h.call(method as 'GET', url, { body, ...(query ? { query } : {}) });
      expect(res.statusCode, res.body).toBe(400);
      const p = problemOf(res);
      expect(p.code).toBe('E_INPUT');
      expect(p.errors?.[0]).toMatchObject({
        in: where,
        field,
        message: expect.stringMatching(message) as unknown,
      });
      expect(p.detail).toContain(field === '(whole)' ? `the ${where}` : `${field} (${where})`);
    },
  );

  it('refuses a body that is not JSON with a problem, not a stack', async () => {
    const res = await h.call('POST', '/api/v1/tokens', {
      body: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(problemOf(res).code).toBe('E_INPUT');
  });

  it('takes a snapshot now: 202 with a job, polled until done, then listed', async () => {
    const before = JSON.parse(
      (await h.call('GET', `/api/v1/accounts/${ACCOUNT}/snapshots`)).body,
    ) as unknown[];
    // As of an earlier day: a snapshot of its own (one per account, day and window).
    const asOf = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const res = await h.call('POST', `/api/v1/accounts/${ACCOUNT}/snapshots`, {
      body: { window: '90d', asOf },
    });
    expect(res.statusCode, res.body).toBe(202);
    const job = JSON.parse(res.body) as {
      id: string;
      state: string;
      location: string;
      mode: string;
    };
    expect(job).toMatchObject({ mode: 'inline', account: ACCOUNT });
    expect(res.headers.location).toBe(job.location);
    let polled = job as { state: string; result?: { snapshotId?: number; stored: boolean } };
    while (polled.state === 'queued' || polled.state === 'running') {
      await new Promise((r) => setTimeout(r, 50));
      polled = JSON.parse((await h.call('GET', job.location)).body) as typeof polled;
    }
    expect(polled).toMatchObject({ state: 'done', result: { stored: true } });
    const after = JSON.parse(
      (await h.call('GET', `/api/v1/accounts/${ACCOUNT}/snapshots`)).body,
    ) as { id: number }[];
    expect(after).toHaveLength(before.length + 1);
    expect(after.map((s) => s.id)).toContain(polled.result?.snapshotId);
    expect(after.at(-2)?.id).toBe(polled.result?.snapshotId);
    // A viewer sees the account with its latest snapshot (the latest as-of: today's).
    const list = JSON.parse((await h.call('GET', '/api/v1/accounts', { as: 'viewer' })).body) as {
      name: string;
      latestSnapshot: { id: number } | null;
    }[];
    expect(list.find((a) => a.name === ACCOUNT)?.latestSnapshot?.id).toBe(after.at(-1)?.id);
  });

  it('creates a token shown once, and revokes it: refused from then on', async () => {
    const made = await h.call('POST', '/api/v1/tokens', {
      body: { name: 'robot', role: 'viewer' },
    });
    expect(made.statusCode, made.body).toBe(201);
    const { token } = JSON.parse(made.body) as { token: string };
    expect((await h.call('GET', '/api/v1/accounts', { as: { token } })).statusCode).toBe(200);
    const again = await h.call('POST', '/api/v1/tokens', {
      body: { name: 'robot', role: 'admin' },
    });
    expect(again.statusCode).toBe(409);
    const list = await h.call('GET', '/api/v1/tokens');
    expect(list.body).not.toContain(token);
    expect((await h.call('DELETE', '/api/v1/tokens/robot')).statusCode).toBe(200);
    const refused = await h.call('GET', '/api/v1/accounts', { as: { token } });
    expect(refused.statusCode).toBe(401);
  });

  it('keeps a token in a browser cookie, with the same role', async () => {
    const res = await h.call('POST', '/api/v1/session', {
      as: 'none',
      body: { token: h.tokens.viewer },
    });
    expect(res.statusCode, res.body).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const pair = cookie.split(';')[0]!;
    expect(
      (await h.call('GET', '/api/v1/accounts', { as: 'none', headers: { cookie: pair } }))
        .statusCode,
    ).toBe(200);
    expect(
      (await h.call('GET', '/api/v1/tokens', { as: 'none', headers: { cookie: pair } })).statusCode,
    ).toBe(403);
    const bad = await h.call('POST', '/api/v1/session', {
      as: 'none',
      body: { token: 'mat_wrong' },
    });
    expect(bad.statusCode).toBe(401);
  });

  it('is healthy, and ready when the store answers', async () => {
    expect(JSON.parse((await h.call('GET', '/healthz', { as: 'none' })).body)).toEqual({
      status: 'ok',
    });
    expect(JSON.parse((await h.call('GET', '/readyz', { as: 'none' })).body)).toEqual({
      status: 'ready',
      store: 'ok',
    });
  });

  it('says schedules need the queue when the server runs without Redis', async () => {
    const res = await h.call('PUT', `/api/v1/accounts/${ACCOUNT}/schedule`, {
      body: { cron: '0 4 * * *' },
    });
    expect(res.statusCode).toBe(503);
    expect(problemOf(res)).toMatchObject({
      code: 'E_CONFIG',
      detail: expect.stringMatching(/REDIS_URL/) as unknown,
    });
    const bad = await h.call('PUT', `/api/v1/accounts/${ACCOUNT}/schedule`, {
      body: { cron: '0 4 * * *', tz: 'Mars/Olympus' },
    });
    expect(bad.statusCode).toBe(400);
    expect(problemOf(bad).errors?.[0]).toMatchObject({ field: 'tz' });
    expect(JSON.parse((await h.call('GET', '/api/v1/schedules', { as: 'viewer' })).body)).toEqual(
      [],
    );
  });

  it('shows the queue to admins: jobs run in the server without Redis', async () => {
    const res = await h.call('GET', '/api/v1/queue');
    expect(JSON.parse(res.body)).toMatchObject({ mode: 'inline', queues: [{ name: 'inline' }] });
  });
});

describe('connecting an account through the API', () => {
  let sim: ZendeskSimulator;
  beforeAll(async () => {
    sim = await startZendeskSimulator({ profile: 'bootstrap', tickets: 20, seed: 3 });
  });
  afterAll(async () => sim?.close());
  const backend = backends[0]!;

  const connect = (h: Harness, name: string, baseUrl: string) =>
    h.call('POST', '/api/v1/accounts', {
      body: {
        name,
        connector: 'zendesk',
        settings: { subdomain: 'demo', baseUrl },
        credentials: sim.credentials,
      },
    });

  it('always refuses link-local and metadata addresses, even with private addresses allowed', async () => {
    const h = await apiHarness(backend, { allowPrivateAddresses: true });
    try {
      for (const [url, message] of [
        ['http://169.254.169.254/', /cloud metadata address/],
        ['http://[::ffff:a9fe:a9fe]/', /cloud metadata address/],
        ['http://2852039166/', /cloud metadata address/],
        ['http://metadata.google.internal/', /cloud metadata address/],
        ['http://169.254.10.1/', /link-local address/],
      ] as const) {
        const res = await connect(h, 'meta', url);
        expect(res.statusCode, url).toBe(400);
        expect(problemOf(res).errors?.[0], url).toMatchObject({
          field: 'settings.baseUrl',
          message: expect.stringMatching(message) as unknown,
        });
      }
      expect(await h.store.findAccount('meta')).toBeUndefined();
    } finally {
      await h.close();
    }
  });

  it('names the request fields, not the CLI flags, in what a connector says', async () => {
    const h = await apiHarness(backend, { allowPrivateAddresses: true });
    const post = (connector: string, settings: object, credentials: object) =>
      h.call('POST', '/api/v1/accounts', {
        body: { name: 'worded', connector, settings, credentials },
      });
    try {
      const zendesk = { subdomain: 'demo', baseUrl: sim.url };
      // The connector's own schema, at validation.
      const bad = await post('zendesk', zendesk, { email: 'nope', token: 'x' });
      expect(bad.statusCode).toBe(400);
      expect(problemOf(bad)).toMatchObject({
        detail: 'credentials.email must be the email address of a Zendesk admin (body)',
        errors: [
          {
            field: 'credentials.email',
            message: expect.stringMatching(/^credentials\.email must/) as unknown,
          },
        ],
      });
      // The connection check, against the helpdesk.
      const refused = await post('zendesk', zendesk, { email: 'a@b.example', token: 'wrong' });
      expect(refused.statusCode).toBe(422);
      expect(problemOf(refused).detail).toMatch(
        /check credentials\.email and credentials\.token \(or credentials\.oauthToken\)/,
      );
      const key = await post('freshdesk', { domain: 'acme', baseUrl: sim.url }, { apiKey: 'k' });
      expect(problemOf(key).detail).toMatch(/check credentials\.apiKey \(Profile settings/);
      for (const res of [bad, refused, key]) expect(res.body).not.toMatch(/--[a-z]/);
      expect(await h.store.findAccount('worded')).toBeUndefined();
    } finally {
      await h.close();
    }
  });

  it('refuses a private or loopback helpdesk unless the operator allows them', async () => {
    const h = await apiHarness(backend);
    try {
      for (const url of [sim.url, 'http://10.1.2.3/', 'http://localhost:9/']) {
        const res = await connect(h, 'local', url);
        expect(res.statusCode, url).toBe(400);
        expect(problemOf(res).errors?.[0]).toMatchObject({
          field: 'settings.baseUrl',
          message: expect.stringMatching(
            /private or loopback address.*this server does not allow them/,
          ) as unknown,
        });
      }
      expect(await h.store.findAccount('local')).toBeUndefined();
    } finally {
      await h.close();
    }
    const open = await apiHarness(backend, { allowPrivateAddresses: true });
    try {
      const res = await connect(open, 'local', sim.url);
      expect(res.statusCode, res.body).toBe(201);
      expect(JSON.parse(res.body)).toMatchObject({ name: 'local', connector: 'zendesk' });
      const shown = JSON.parse((await open.call('GET', '/api/v1/accounts/local')).body) as Record<
        string,
        unknown
      >;
      expect(shown).toMatchObject({ credentials: 'stored (encrypted)', needsAttention: false });
      expect(JSON.stringify(shown)).not.toContain(sim.credentials.token);
      expect((await connect(open, 'local', sim.url)).statusCode).toBe(409);
      expect((await open.call('DELETE', '/api/v1/accounts/local')).statusCode).toBe(204);
      expect((await open.call('GET', '/api/v1/accounts/local')).statusCode).toBe(404);
    } finally {
      await open.close();
    }
  });

  it('syncs only the hosts its policy allows, whoever connected the account', async () => {
    for (const allowPrivateAddresses of [false, true]) {
      const h = await apiHarness(backend, { allowPrivateAddresses });
      try {
        // Connected from the command line, where the operator's own hosts are fine.
        const a = await h.store.createAccount('onprem', 'zendesk', {
          subdomain: 'demo',
          baseUrl: sim.url,
          incrementalPerMinute: 100_000,
        });
        await h.store.setAccountSecret(a.id, box.seal(sim.credentials));
        const res = await h.call('POST', '/api/v1/accounts/onprem/snapshots', { body: {} });
        if (!allowPrivateAddresses) {
          expect(res.statusCode).toBe(409);
          expect(problemOf(res).detail).toMatch(
            /account "onprem" cannot be synced by this server: its settings\.baseUrl: must not point at a private or loopback address.*--allow-private-addresses/,
          );
          continue;
        }
        let job = JSON.parse(res.body) as {
          state: string;
          location: string;
          error?: { message: string };
        };
        while (job.state === 'queued' || job.state === 'running') {
          await new Promise((r) => setTimeout(r, 50));
          job = JSON.parse((await h.call('GET', job.location)).body) as typeof job;
        }
        expect(job.state, JSON.stringify(job)).toBe('done');
      } finally {
        await h.close();
      }
    }
  });

  it('logs requests without the tokens they carry', async () => {
    let logged = '';
    const logger = pino({ level: 'trace' }, { write: (line: string) => (logged += line) });
    const h = await apiHarness(backend, { logger });
    try {
      const token = h.tokens.admin;
      await h.call('GET', '/api/v1/accounts');
      await h.call('GET', '/api/v1/accounts', {
        as: 'none',
        headers: { cookie: `maturity_token=${token}` },
      });
      await h.call('POST', '/api/v1/session', { as: 'none', body: { token } });
      await h.call('POST', '/api/v1/session', { as: 'none', body: { token: `${token}-wrong` } });
      await h.call('GET', '/api/v1/accounts', { as: { token: `${token}-bad` } });
      expect(logged).toMatch(/incoming request/);
      expect(logged).toMatch(/"statusCode":401/);
      expect(logged).not.toContain(token);
    } finally {
      await h.close();
    }
  });

  it('says the helpdesk refused the credentials (422), storing nothing', async () => {
    const h = await apiHarness(backend, { allowPrivateAddresses: true });
    try {
      const res = await h.call('POST', '/api/v1/accounts', {
        body: {
          name: 'wrong',
          connector: 'zendesk',
          settings: { subdomain: 'demo', baseUrl: sim.url },
          credentials: { email: sim.credentials.email, token: 'not-the-token' },
        },
      });
      expect(res.statusCode, res.body).toBe(422);
      expect(problemOf(res).code).toBe('E_CONNECTOR_AUTH');
      expect(res.body).not.toContain('not-the-token');
      expect(await h.store.findAccount('wrong')).toBeUndefined();
    } finally {
      await h.close();
    }
  });
});
