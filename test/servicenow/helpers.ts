import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { servicenow } from '../../connectors/servicenow/index.js';
import { createServiceNowClient } from '../../connectors/servicenow/client.js';
import { ServiceNowConfig } from '../../connectors/servicenow/config.js';
import { runSync } from '../../connectors/shared/run-sync.js';
import type { Store } from '../../src/store/store.js';
import { type Account } from '../../src/store/store.js';
import { storeSyncSink } from '../../src/store/sync-sink.js';
import { memoryStore } from '../helpers/store-template.js';

export const FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures/servicenow');

/** The real API samples live in the shared folder beside the repository (as in CI). */
export const hasFixtures = existsSync(FIXTURES);
if (!hasFixtures) {
  if (process.env.CI)
    throw new Error(
      `the shared servicenow fixtures are required under CI=true: ${FIXTURES} is missing`,
    );
  console.warn(
    `\n!!! ${FIXTURES} is missing: tests on the real servicenow samples are SKIPPED !!!\n`,
  );
}
export const fixture = <T = unknown>(name: string): T =>
  JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as T;

export const BASE = 'https://acme.service-now.com';

export type Row = Record<string, unknown>;

/** Marks a row ACLs hide from the reader (see tableApi). */
export const HIDDEN = '__hidden';

/** What the fake server saw, for assertions on the requests. */
export interface Seen {
  table: string;
  query: Record<string, string>;
}

/**
 * A Table API that follows the documentation, on nock: sysparm_query conditions (=, >= and > —
 * strings compare as strings —, IN, dot-walked names looked up as given) joined by ^ (AND) and
 * ^OR (binds only the conditions either side of it, as in ServiceNow), ORDERBY clauses,
 * sysparm_offset/sysparm_limit, sysparm_fields (unknown names dropped silently, as ServiceNow
 * does), X-Total-Count and a Link header with first/prev/next/last; a table not in `tables` is
 * absent from the instance (400 "Invalid table"). A row with `[HIDDEN]: true`
 * stands for one ACLs hide: it is counted and paged (the limit applies first) but never returned.
 * `onRequest` runs before each answer, e.g. to change the tables between two pages.
 */
export function tableApi(
  tables: Record<string, Row[] | number>,
  seen: Seen[] = [],
  onRequest?: (request: Seen) => void,
  o: {
    /**
     * Per table, the largest page the instance finishes in time: a larger one is cut short by
     * the transaction quota, HTTP 200 with part of its rows and the error after them (KB1297438).
     */
    cutAbove?: Record<string, number>;
  } = {},
) {
  return nock(BASE)
    .persist()
    .get(/^\/api\/now\/table\/[^/?]+/)
    .query(true)
    .reply(function (uri) {
      const url = new URL(uri, BASE);
      const table = decodeURIComponent(url.pathname.split('/').pop()!);
      const q = Object.fromEntries(url.searchParams);
      seen.push({ table, query: q });
      onRequest?.({ table, query: q });
      const data = tables[table];
      // A table the instance lacks (no plugin): 400 Bad Request with this body, as a real
      // instance answers (the URI matches no API; "REST API HTTP response codes").
      if (data === undefined)
        return [
          400,
          { error: { message: `Invalid table ${table}`, detail: null }, status: 'failure' },
        ];
      if (typeof data === 'number')
        return [
          data,
          { error: { message: 'User Not Authorized', detail: 'ACL' }, status: 'failure' },
        ];
      let rows = [...data];
      const order: string[] = [];
      // AND of groups; a group is one condition or several joined by ^OR.
      const groups: [string, string, string][][] = [];
      for (const part of (q.sysparm_query ?? '').split('^').filter(Boolean)) {
        if (part.startsWith('ORDERBY')) {
          order.push(part.slice(7));
          continue;
        }
        const or = part.startsWith('OR') && groups.length > 0;
        const m = /^([\w.]+)(>=|>|IN|=)(.*)$/.exec(or ? part.slice(2) : part);
        if (!m) continue;
        const [, field, op, value] = m as unknown as [string, string, string, string];
        if (!rows.some((r) => field in r)) continue; // unknown field: ignored, as ServiceNow does
        if (or) groups[groups.length - 1]!.push([field, op, value]);
        else groups.push([[field, op, value]]);
      }
      const holds = (r: Row, [field, op, value]: [string, string, string]) => {
        const v = String(r[field] ?? '');
        return op === '>='
          ? v >= value
          : op === '>'
            ? v > value
            : op === 'IN'
              ? value.split(',').includes(v)
              : v === value;
      };
      rows = rows.filter((r) => groups.every((g) => g.some((c) => holds(r, c))));
      rows.sort((a, b) => {
        for (const f of order) {
          const x = String(a[f] ?? '');
          const y = String(b[f] ?? '');
          if (x !== y) return x < y ? -1 : 1;
        }
        return 0;
      });
      const limit = Number(q.sysparm_limit ?? 10000);
      const offset = Number(q.sysparm_offset ?? 0);
      const fields = q.sysparm_fields?.split(',');
      const page = rows
        .slice(offset, offset + limit)
        .filter((r) => r[HIDDEN] !== true)
        .map((r) =>
          fields
            ? Object.fromEntries(fields.filter((f) => f in r).map((f) => [f, r[f]]))
            : Object.fromEntries(Object.entries(r).filter(([k]) => k !== HIDDEN)),
        );
      const cut = o.cutAbove?.[table];
      if (cut !== undefined && limit > cut)
        return [
          200,
          {
            result: page.slice(0, Math.floor(page.length / 2)),
            error: {
              message: 'Transaction cancelled: maximum execution time exceeded',
              detail:
                'maximum execution time exceeded Check logs for error trace or enable glide.rest.debug property to verify REST request processing',
            },
            status: 'failure',
          },
          { 'Content-Type': 'application/json' },
        ];
      const link = (at: number, rel: string) => {
        const u = new URL(url);
        u.searchParams.set('sysparm_offset', String(at));
        return `<${u}>;rel="${rel}"`;
      };
      const links = [link(0, 'first')];
      if (offset > 0) links.push(link(Math.max(0, offset - limit), 'prev'));
      if (offset + limit < rows.length) links.push(link(offset + limit, 'next'));
      links.push(link(Math.max(0, Math.floor((rows.length - 1) / limit) * limit), 'last'));
      return [
        200,
        { result: page },
        {
          'Content-Type': 'application/json',
          'X-Total-Count': String(rows.length),
          Link: links.join(','),
        },
      ];
    });
}

export const config = (extra: Record<string, unknown> = {}) =>
  ServiceNowConfig.parse({ instance: BASE, user: 'maturity.reader', pageSize: 3, ...extra });

export const fastClient = (sleeps: number[] = []) =>
  createServiceNowClient(
    config(),
    { password: 'pw' },
    {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      backoffMs: 1,
    },
  );

export async function sync(
  store: Store,
  account: Account,
  streams?: string[],
  sleeps: number[] = [],
) {
  return runSync({
    sink: storeSyncSink(store, account.id),
    connector: servicenow as never,
    config: config(),
    client: fastClient(sleeps),
    ...(streams ? { streams } : {}),
  });
}

/** An incident row as the Table API sends it with sysparm_exclude_reference_link=true. */
export function incidentRow(n: number, updated: string, extra: Row = {}): Row {
  return {
    sys_id: `inc${String(n).padStart(4, '0')}`,
    number: `INC${String(n).padStart(7, '0')}`,
    opened_at: '2026-01-05 09:00:00',
    sys_created_on: '2026-01-05 09:00:00',
    sys_updated_on: updated,
    resolved_at: '',
    closed_at: '',
    priority: '3',
    incident_state: '2',
    state: '2',
    active: 'true',
    contact_type: 'email',
    assignment_group: 'grp1',
    assigned_to: '',
    company: '',
    reopen_count: '0',
    reassignment_count: '0',
    knowledge: 'false',
    problem_id: '',
    rfc: '',
    caused_by: '',
    made_sla: 'true',
    sys_mod_count: '1',
    category: '',
    location: '',
    resolved_by: '',
    ...extra,
  };
}

/** A fresh in-memory store for a test file, with nock refusing every real network call. */
export function useNockedStore(set: (store: Store) => void): void {
  let store: Store | undefined;
  beforeAll(async () => {
    nock.disableNetConnect();
    store = await memoryStore();
    set(store);
  });
  afterEach(() => {
    nock.cleanAll();
  });
  afterAll(async () => {
    nock.enableNetConnect();
    await store?.close();
  });
}
