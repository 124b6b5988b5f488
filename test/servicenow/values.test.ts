import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  choiceNumber,
  flattenValue,
  int,
  parseDate,
  slug,
} from '../../connectors/servicenow/values.js';
import { textProblem } from '../../src/domain/text.js';

const p = (n: number, w = 2) => String(n).padStart(w, '0');

describe('ServiceNow values', () => {
  it('reads a Table API date-time the same by its quick path as by the general one', () => {
    fc.assert(
      fc.property(
        fc.tuple(
          fc.integer({ min: 0, max: 9999 }),
          fc.integer({ min: 0, max: 13 }),
          fc.integer({ min: 0, max: 32 }),
          fc.integer({ min: 0, max: 25 }),
          fc.integer({ min: 0, max: 61 }),
          fc.integer({ min: 0, max: 61 }),
        ),
        ([y, mo, d, h, mi, s]) => {
          const v = `${p(y, 4)}-${p(mo)}-${p(d)} ${p(h)}:${p(mi)}:${p(s)}`;
          // A leading space takes the general path (values are trimmed first).
          expect(parseDate(v)).toEqual(parseDate(` ${v}`));
        },
      ),
      { numRuns: 5000 },
    );
    expect(parseDate('2026-02-29 10:00:00')).toBeNull();
    expect(parseDate('2024-02-29 23:59:59')).toBe('2024-02-29T23:59:59.000Z');
    // Century years are leap years only when divisible by 400.
    expect(parseDate('2000-02-29 00:00:00')).toBe('2000-02-29T00:00:00.000Z');
    for (const y of ['1900', '2100']) expect(parseDate(`${y}-02-29 00:00:00`)).toBeNull();
    for (const v of ['2026-04-31 00:00:00', '2026-12-31 24:00:00', '2026-00-10 10:00:00'])
      expect(parseDate(v)).toBeNull();
  });

  it("reads an export's day/month/year date the same by its quick path as by the general one", () => {
    const part = (n: number, width: 1 | 2) => (width === 2 ? p(n) : String(n));
    fc.assert(
      fc.property(
        fc.record({
          a: fc.integer({ min: 0, max: 39 }),
          b: fc.integer({ min: 0, max: 39 }),
          y: fc.integer({ min: 0, max: 9999 }),
          h: fc.integer({ min: 0, max: 29 }),
          mi: fc.integer({ min: 0, max: 65 }),
          s: fc.integer({ min: 0, max: 65 }),
          widths: fc.tuple(fc.constantFrom(1, 2), fc.constantFrom(1, 2), fc.constantFrom(1, 2)),
          seps: fc.tuple(fc.constantFrom('/', '.', '-'), fc.constantFrom('/', '.', '-')),
          time: fc.constantFrom('none', 'hm', 'hms', 'T', 'pm', 'hms pm'),
          order: fc.constantFrom('dmy' as const, 'mdy' as const),
        }),
        ({ a, b, y, h, mi, s, widths, seps, time, order }) => {
          if ((widths[0] === 1 && a > 9) || (widths[1] === 1 && b > 9)) return;
          if (widths[2] === 1 && h > 9) return;
          const date = `${part(a, widths[0])}${seps[0]}${part(b, widths[1])}${seps[1]}${p(y, 4)}`;
          const clock = `${part(h, widths[2])}:${p(mi)}`;
          const v =
            time === 'none'
              ? date
              : time === 'hm'
                ? `${date} ${clock}`
                : time === 'hms'
                  ? `${date} ${clock}:${p(s)}`
                  : time === 'T'
                    ? `${date}T${clock}`
                    : time === 'pm'
                      ? `${date} ${clock} PM`
                      : `${date} ${clock}:${p(s)} am`;
          // A leading space takes the general path (values are trimmed first).
          expect(parseDate(v, order)).toEqual(parseDate(` ${v}`, order));
        },
      ),
      { numRuns: 8000 },
    );
    expect(parseDate('29/2/2016 01:16', 'dmy')).toBe('2016-02-29T01:16:00.000Z');
    expect(parseDate('2/29/2016 1:16:05', 'mdy')).toBe('2016-02-29T01:16:05.000Z');
    expect(parseDate('29/2/2015 01:16', 'dmy')).toBeNull();
    expect(parseDate('31/4/2016', 'dmy')).toBe(null);
    expect(parseDate('5/3/2016 12:00', 'dmy')).toBe('2016-03-05T12:00:00.000Z');
  });

  it('trims a value exactly as String.prototype.trim does, by its quick path too', () => {
    const MISSING = ['', '?', 'null', '(empty)', 'undefined'];
    const space = fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u2003', '\ufeff', '\u3000');
    fc.assert(
      fc.property(
        fc.array(space, { maxLength: 2 }),
        fc.string({ maxLength: 12 }),
        fc.array(space, { maxLength: 2 }),
        (before, core, after) => {
          const v = `${before.join('')}${core}${after.join('')}`;
          const t = v.trim();
          expect(flattenValue(v)).toBe(MISSING.includes(t.toLowerCase()) ? undefined : t);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads slugs, counts and choice values the same by their quick paths as by the general ones', () => {
    // The general forms, as they were before the quick paths: the quick ones must agree.
    const generalSlug = (v: string) =>
      v
        .trim()
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '_')
        .replace(/^_|_$/g, '');
    const generalInt = (v: string) => {
      const t = v.replace(/,/g, '');
      return /^-?\d+(\.0+)?$/.test(t) ? Number.parseInt(t, 10) : undefined;
    };
    const generalChoice = (v: string) => {
      const m = /^(-?\d+)(\s*-\s*.*)?$/.exec(v.trim());
      return m ? Number(m[1]) : undefined;
    };
    const chars = (alphabet: string, maxLength: number) =>
      fc.string({ unit: fc.constantFrom(...alphabet), maxLength });
    fc.assert(
      fc.property(chars('ab09_- .Z', 14), (v) => {
        expect(slug(v)).toBe(generalSlug(v));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(chars('0123456789', 12), chars('0 ,.-x', 2), (digits, tail) => {
        for (const v of [digits, `${digits}${tail}`, `${tail}${digits}`]) {
          expect(int(v)).toBe(generalInt(v));
          expect(choiceNumber(v)).toBe(generalChoice(v));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('treats the missing spellings as missing and keeps every other value, trimmed', () => {
    for (const v of ['', '  ', '?', 'NULL', ' (empty) ', 'undefined'])
      expect(flattenValue(v)).toBe(undefined);
    expect(flattenValue(' 3 - Moderate ')).toBe('3 - Moderate');
    expect(flattenValue('undefined!')).toBe('undefined!');
    expect(flattenValue({ value: ' a1 ', display_value: 'x' })).toBe('a1');
  });

  it('finds a NUL or a lone surrogate wherever it is, and nothing in other text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
        expect(textProblem(s) !== undefined).toBe(s.includes('\0') || lone.test(s));
      }),
      { numRuns: 2000 },
    );
  });
});
