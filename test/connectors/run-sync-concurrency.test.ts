import { describe, expect, it } from 'vitest';
import { MaturityError } from '../../src/errors.js';
import {
  defineStream,
  noCursor,
  type StreamDefinition,
} from '../../connectors/shared/define-connector.js';
import { runFake } from '../helpers/fake-connector.js';

/** A stream that waits for `gate` before its one page: streams that wait together overlap. */
function waiting(name: string, log: string[], gate: Promise<void>, fail?: Error) {
  return defineStream<unknown, never>({
    name,
    kinds: ['automations'],
    cursor: noCursor,
    async sync(ctx) {
      log.push(`start ${name}`);
      await gate;
      if (fail) throw fail;
      await ctx.commit({
        records: { automations: [{ sourceId: name, kind: 'macro', active: true }] },
        cursor: null,
      });
      log.push(`end ${name}`);
    },
  });
}

const run = (streams: StreamDefinition<unknown>[], concurrency?: number) =>
  runFake(streams, concurrency ? { concurrency } : {});

describe('streams side by side', () => {
  it('runs up to `concurrency` streams at once and reports them in the connector order', async () => {
    const log: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const names = ['a', 'b', 'c', 'd'];
    const done = run(
      names.map((n) => waiting(n, log, gate)),
      3,
    );
    // Three started while the first still waits: the waits overlap.
    await new Promise((r) => setTimeout(r, 20));
    expect(log).toEqual(['start a', 'start b', 'start c']);
    open();
    const outcomes = await done;
    expect(outcomes.map((o) => [o.stream, o.ok])).toEqual(names.map((n) => [n, true]));
    expect(log).toContain('start d');
  });

  it('runs one stream after the other by default', async () => {
    const log: string[] = [];
    await run(['a', 'b'].map((n) => waiting(n, log, Promise.resolve())));
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('starts no further stream after an authentication error, and throws it', async () => {
    const log: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const auth = new MaturityError('E_CONNECTOR_AUTH', 'the token was refused');
    const done = run(
      [waiting('a', log, gate, auth), waiting('b', log, gate), waiting('c', log, gate)],
      2,
    );
    open();
    await expect(done).rejects.toThrow('the token was refused');
    expect(log).not.toContain('start c');
    expect(log).toContain('end b');
  });
});
