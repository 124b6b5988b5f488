import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalogue, MaturityError, type ErrorCode } from '../src/errors.js';
import { queueVerdict } from '../src/jobs/worker.js';

const codes = Object.keys(errorCatalogue) as ErrorCode[];

describe('error catalogue', () => {
  it('lists every error code in the README with the same meaning, retry policy and exit code', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const rows = new Map(
      [...readme.matchAll(/^\| `(E_[A-Z_]+)` \| (.+) \| ([a-z-]+) \| (\d) \|$/gm)].map((m) => [
        m[1],
        { meaning: m[2], retry: m[3], exit: Number(m[4]) },
      ]),
    );
    for (const [code, policy] of Object.entries(errorCatalogue))
      expect(rows.get(code), code).toEqual(policy);
    expect([...rows.keys()].sort()).toEqual([...codes].sort());
  });

  it('exits 2 for bad input (what the user gave: flags, environment, import and rules files), 1 otherwise', () => {
    const badInput = codes.filter((c) => errorCatalogue[c].exit === 2).sort();
    expect(badInput).toEqual(['E_CONFIG', 'E_IMPORT_INVALID', 'E_INPUT', 'E_RULES_INVALID']);
  });

  it.each(codes)('the queue treats %s as the catalogue says', (code) => {
    const err = new MaturityError(code, 'x', { retryAfterMs: 5000 });
    const { retry } = errorCatalogue[code];
    expect(queueVerdict(err)).toEqual(retry === 'after-wait' ? { retry, waitMs: 5000 } : { retry });
    expect(err.retryable).toBe(retry !== 'no');
  });

  it('backs off on a rate limit that states no wait, and on an error without a code', () => {
    expect(queueVerdict(new MaturityError('E_CONNECTOR_RATE_LIMIT', 'x'))).toEqual({
      retry: 'backoff',
    });
    expect(queueVerdict(new Error('connection terminated'))).toEqual({ retry: 'backoff' });
  });
});
