import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineStream, type StreamDefinition } from '../../connectors/shared/define-connector.js';
import { memorySink } from '../../connectors/shared/memory-sink.js';
import { loadConnector } from '../../connectors/index.js';
import { runFake } from '../helpers/fake-connector.js';

const Cursor = z.object({ page: z.number().int().min(1) });

/** Reads pages 1..3 of automations; records what cursor each run started from. */
function pages(seen: unknown[], committed: (page: number) => unknown = (p) => ({ page: p + 1 })) {
  return defineStream<unknown, z.infer<typeof Cursor>>({
    name: 'rules',
    kinds: ['automations'],
    cursor: Cursor,
    async sync(ctx) {
      seen.push(ctx.cursor);
      for (let page = ctx.cursor?.page ?? 1; page <= 3; page++) {
        const cursor = page < 3 ? committed(page) : null;
        await ctx.commit({
          records: { automations: [{ sourceId: `r${page}`, kind: 'macro', active: true }] },
          cursor: cursor as z.infer<typeof Cursor> | null,
        });
      }
    },
  });
}

const run = (stream: StreamDefinition<unknown>, sink = memorySink()) => runFake([stream], { sink });

describe('stream cursors', () => {
  it('hands the stream its saved cursor parsed, and nothing after a finished pass', async () => {
    const seen: unknown[] = [];
    const sink = memorySink();
    sink.state.cursors.set('fake:rules', { page: 2, dropped: 'unknown keys go' });
    const [first] = await run(pages(seen), sink);
    expect(first).toMatchObject({ ok: true, pages: 2 });
    await run(pages(seen), sink);
    expect(seen).toEqual([{ page: 2 }, undefined]);
  });

  it('restarts a stream whose saved cursor does not parse from scratch, with a warning naming it', async () => {
    const seen: unknown[] = [];
    const sink = memorySink();
    sink.state.cursors.set('fake:rules', { page: 'two' });
    const [outcome] = await run(pages(seen), sink);
    expect(seen).toEqual([undefined]);
    expect(outcome).toMatchObject({ ok: true, pages: 3, records: 3 });
    expect(outcome!.warnings).toEqual([
      "stream rules: the saved sync position does not read as this stream's cursor (page: Invalid input: expected number, received string); the stream starts again from scratch",
    ]);
  });

  it('fails a stream that commits a cursor its own schema would not read back', async () => {
    const sink = memorySink();
    const [outcome] = await run(
      pages([], (p) => ({ next: p + 1 })),
      sink,
    );
    expect(outcome!.ok).toBe(false);
    expect(outcome!.error?.message).toMatch(
      /^stream rules committed a cursor its cursor schema does not read: page: /,
    );
    expect(sink.state.cursors.has('fake:rules')).toBe(false);
  });
});

/** Cursors as the connectors saved them before streams declared their schemas. */
const saved: [connector: string, stream: string, cursor: unknown][] = [
  ['zendesk', 'groups', { next: { after: 'eyJvIjoibmljZSJ9' } }],
  ['zendesk', 'agents', { next: { path: '/api/v2/users.json?page=3&role%5B%5D=agent' } }],
  ['zendesk', 'kb-articles', { next: { after: 'x' } }],
  ['zendesk', 'satisfaction-ratings', { next: { after: 'x' } }],
  ['zendesk', 'automations', { list: 1, next: { after: 'x' } }],
  ['zendesk', 'automations', { list: 2 }],
  ['zendesk', 'organisations', { next: { after: 'x' }, counts: { premium: 3, basic: 1 } }],
  ['zendesk', 'tickets', { cursor: 'MTY5OTk5' }],
  [
    'zendesk',
    'tickets',
    {
      cursor: 'c2',
      from: 1_700_000_000,
      backfill: { from: 0, until: 1_700_000_000, cursor: 'b1' },
    },
  ],
  [
    'zendesk',
    'sla-outcomes',
    {
      startTime: 1_750_000_000,
      open: {
        '12:first_reply_time:1': {
          ticket: '12',
          metric: 'first_reply_time',
          target: 60,
          measured: 12,
        },
        '13:resolution_time:1': {
          ticket: '13',
          metric: 'resolution_time',
          breachedAt: 1_749_000_000,
          fulfilledAt: 1_749_900_000,
        },
      },
      from: 1_690_000_000,
      backfill: { from: 0, until: 1_690_000_000, startTime: 5, open: {} },
    },
  ],
  [
    'servicenow',
    'incident',
    {
      table: { since: '2026-02-01 10:00:09', after: 'inc3', skip: 0, complete: true },
      linksUntil: '2026-01-31 08:00:00',
    },
  ],
  ['servicenow', 'incident', {}],
  ['servicenow', 'task_sla', { since: '2026-02-01 10:00:00', skip: 2, complete: false }],
  ['servicenow', 'contract_sla', { after: 'c4', skip: 0, complete: false }],
  ['servicenow', 'contract_sla', { skip: 6, complete: false }],
  [
    'servicenow',
    'kb_knowledge',
    { since: '2026-02-01 10:00:00', after: 'kb1', skip: 0, complete: true },
  ],
  [
    'servicenow',
    'sys_user_group',
    { since: '2026-02-01 10:00:00', after: 'g1', skip: 0, complete: false },
  ],
  [
    'servicenow',
    'asmt_assessment_instance',
    { since: '2026-02-01 10:00:00', after: 'a1', skip: 0, complete: true },
  ],
];

describe('the cursors the shipped connectors saved before', () => {
  it.each(saved)('%s %s reads %j unchanged', async (id, name, cursor) => {
    const stream = (await loadConnector(id))!.streams.find((s) => s.name === name)!;
    expect(stream.cursor.parse(cursor)).toEqual(cursor);
  });
});
