import { describe, expect, it } from 'vitest';
import { mapPage, mapPageAsync, skip, type Mapped } from '../../connectors/shared/map-page.js';

interface Item {
  id: string;
  n: number;
}

/** Every outcome a mapper can have: a record, a skip, a refusal, a throw, a domain failure. */
const map = (item: Item): Mapped<{ sourceId: string; n: number }> => {
  if (item.n % 7 === 0) return skip;
  if (item.n % 11 === 0) return { ok: false, error: `item ${item.id} has no status` };
  if (item.n % 13 === 0) throw new Error(`item ${item.id} could not be read`);
  return { ok: true, record: { sourceId: item.id, n: item.n } };
};
const domain = {
  safeParse: (r: unknown) => {
    const rec = r as { sourceId: string; n: number };
    return rec.n % 17 === 0
      ? ({
          success: false,
          error: { issues: [{ code: 'custom', path: ['n'], message: 'too odd' }] },
        } as never)
      : ({ success: true, data: { ...rec, checked: true } } as never);
  },
};

const items = (count: number): Item[] =>
  Array.from({ length: count }, (_, i) => ({ id: `t${i}`, n: i + 1 }));

describe('mapping a page in slices (mapPageAsync)', () => {
  it('gives what mapPage gives: records, deletes and quarantine in the same order', async () => {
    const page = {
      items: items(2_345),
      invalid: [{ sourceId: 'bad', error: 'not an object', payload: 1 }],
    };
    const o = { domain, id: (i: Item) => i.id, deleteSkipped: true };
    const whole = mapPage(page, map, o);
    const sliced = await mapPageAsync(page, map, o);
    expect(sliced).toEqual(whole);
    // The case above covers each outcome, and the invalid item comes first.
    expect(whole.records.length).toBeGreaterThan(1_500);
    expect(whole.deletes).toContain('t6');
    expect(whole.quarantined[0]!.sourceId).toBe('bad');
    expect(whole.quarantined.map((q) => q.error).join('\n')).toMatch(
      /has no status[\s\S]*could not be read|could not be read[\s\S]*has no status/,
    );
  });

  it('lets other work run while a page of 10,000 items is mapped', async () => {
    // A write waiting for the database, or a request to a server, runs between slices.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    let during = 0;
    const slow = (item: Item): Mapped<{ sourceId: string }> => {
      const until = performance.now() + 0.01;
      while (performance.now() < until);
      if (item.n === 9_999) during = ticks;
      return { ok: true, record: { sourceId: item.id } };
    };
    try {
      const out = await mapPageAsync({ items: items(10_000) }, slow);
      expect(out.records).toHaveLength(10_000);
    } finally {
      clearInterval(timer);
    }
    expect(during).toBeGreaterThanOrEqual(5);
  });
});
