import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { memorySink } from '../../shared/memory-sink.js';
import { runSync } from '../../shared/run-sync.js';
import { createTemplateClient } from '../client.js';
import { TemplateConfig } from '../config.js';
import template from '../index.js';
import { toTicket } from '../streams/tickets.js';

/**
 * The test skeleton of a connector: the mapper on a plain object, then the stream through the
 * runner against a fake API (nock), with a memory sink instead of the store. Name each test by
 * the behaviour; add fixtures named <stream>.<scenario>.json, and a test per stream.
 */
const URL = 'https://acme.example';
const config = TemplateConfig.parse({ url: URL });
const sync = (sink = memorySink()) =>
  runSync({
    sink,
    connector: template,
    config,
    client: createTemplateClient(config, { token: 't' }, { sleep: async () => {}, backoffMs: 1 }),
    streams: ['tickets'],
  }).then((outcomes) => ({ outcomes, sink }));

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('tickets', () => {
  it('maps a vendor ticket to a ticket, and quarantines an unknown status', () => {
    const t = { id: '7', created_at: '2026-01-05T09:00:00Z', status: 'open', priority: 'high' };
    expect(toTicket(t)).toEqual({
      ok: true,
      record: {
        sourceId: '7',
        createdAt: t.created_at,
        status: 'open',
        priority: 'high',
        tags: [],
      },
    });
    expect(toTicket({ ...t, status: 'parked' })).toMatchObject({ ok: false });
  });

  it('stores every page, quarantines a bad item and resumes nothing after a full pass', async () => {
    nock(URL)
      .get('/api/v1/tickets')
      .query({ page: 1 })
      .reply(200, {
        tickets: [
          { id: 1, created_at: '2026-01-05T09:00:00Z', status: 'open' },
          { id: 2, status: 'open' },
        ],
        next_page: 2,
      });
    nock(URL)
      .get('/api/v1/tickets')
      .query({ page: 2 })
      .reply(200, {
        tickets: [{ id: 3, created_at: '2026-01-06T09:00:00Z', status: 'solved' }],
        next_page: null,
      });
    const { outcomes, sink } = await sync();
    expect(outcomes).toMatchObject([{ stream: 'tickets', ok: true, records: 2, quarantined: 1 }]);
    expect([...sink.state.records.tickets!.keys()]).toEqual(['1', '3']);
    expect(sink.state.quarantined.map((q) => q.sourceId)).toEqual(['2']);
    expect(sink.state.cursors.get('template:tickets')).toBeNull();
    expect([...sink.state.covered]).toEqual(['tickets']);
  });
});
