import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../src/errors.js';

describe('error catalogue', () => {
  it('lists every error code in the README with the same meaning', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const rows = new Map(
      [...readme.matchAll(/^\| `(E_[A-Z_]+)` \| (.+) \|$/gm)].map((m) => [m[1], m[2]]),
    );
    for (const [code, meaning] of Object.entries(errorCodes))
      expect(rows.get(code), code).toBe(meaning);
    expect([...rows.keys()].sort()).toEqual(Object.keys(errorCodes).sort());
  });
});
