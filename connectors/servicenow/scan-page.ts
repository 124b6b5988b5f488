import { flattenValue, type Fields } from './values.js';

/**
 * A Table API page read straight from its bytes, for the streams that read many rows (incident).
 *
 * JSON.parse makes an object and a string for every field of every row (ten thousand rows of
 * some thirty fields a page), and the sync then keeps them alive while it maps the page, so the
 * garbage collector copies them again. Most pages are plain: `{"result":[{…},…]}` with every
 * value a string of printable ASCII without an escape, every key one of the fields asked for.
 * `scanTablePage` recognises exactly such a page and records where each value
 * is; for anything else (an escape, a non-ASCII byte, a number, null, an object, an unknown or
 * a row without sys_id, another top-level key) it returns undefined and the page
 * is parsed as JSON and checked by the schema as before (client.ts). What it accepts, JSON.parse
 * and the row schema accept too, with the same values (test/servicenow/scan.test.ts).
 */
export class ScannedPage {
  constructor(
    /** The response body. */
    readonly bytes: Buffer,
    /** The fields asked for (sysparm_fields), in that order. */
    readonly fields: readonly string[],
    /** Rows on the page. */
    readonly length: number,
    /** Per row and field, the value's start and end in `bytes` (quotes excluded); -1: no key. */
    private readonly at: Int32Array,
  ) {}

  /** Where row r's value of field f starts (-1: the row has no such key); `end` where it ends. */
  start(r: number, f: number): number {
    return this.at[(r * this.fields.length + f) * 2]!;
  }
  end(r: number, f: number): number {
    return this.at[(r * this.fields.length + f) * 2 + 1]!;
  }

  /** Row r's value of field f as the row schema and values.ts make it (undefined: missing). */
  value(r: number, f: number): string | undefined {
    const s = this.start(r, f);
    if (s < 0) return undefined;
    const e = this.end(r, f);
    if (e - s > SHORT) return flattenValue(this.bytes.toString('latin1', s, e));
    // Short values (choices, counts, flags) repeat: each spelling is read once per process.
    let key = e - s;
    for (let i = s; i < e; i++) key = key * 128 + this.bytes[i]!;
    const known = shortValues.get(key);
    if (known !== undefined || shortValues.has(key)) return known;
    const v = flattenValue(this.bytes.toString('latin1', s, e));
    if (shortValues.size < 10_000) shortValues.set(key, v);
    return v;
  }

  /** Whether row r has field f's key at all (empty or not). */
  has(r: number, f: number): boolean {
    return this.start(r, f) >= 0;
  }

  /** The requested fields that no row carried. */
  missingFields(): string[] {
    if (!this.length) return [];
    return this.fields.filter((_, f) => {
      for (let r = 0; r < this.length; r++) if (this.has(r, f)) return false;
      return true;
    });
  }

  /** Each row's given fields only, as values.ts makes them (for the cursor's key, say). */
  pick(names: readonly string[]): Fields[] {
    const idx = names.map((n) => this.fields.indexOf(n));
    const out: Fields[] = [];
    for (let r = 0; r < this.length; r++) {
      const row: Fields = {};
      for (let k = 0; k < names.length; k++) {
        const f = idx[k]!;
        if (f >= 0 && this.has(r, f)) row[names[k]!] = this.value(r, f);
      }
      out.push(row);
    }
    return out;
  }
}

/**
 * Values of up to SHORT bytes, by their bytes (7 bits each, and the length: a whole number below
 * 2^53) → what flattenValue makes of them.
 */
const SHORT = 6;
const shortValues = new Map<number, string | undefined>();

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const RESULT = Buffer.from('result', 'latin1');

const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Bytes a plain string may hold: printable ASCII but the quote and the backslash. */
const PLAIN = new Uint8Array(256);
for (let c = 0x20; c <= 0x7e; c++) PLAIN[c] = 1;
PLAIN[QUOTE] = 0;
PLAIN[BACKSLASH] = 0;

/** After a string's opening quote: the index of its closing quote, or -1 if it is not plain. */
function stringEnd(b: Buffer, from: number): number {
  const n = b.length;
  let j = from;
  while (j < n && PLAIN[b[j]!] === 1) j++;
  return j < n && b[j] === QUOTE ? j : -1;
}

/**
 * The index of the first byte at or after i that is not JSON whitespace. Called only where a
 * byte is 0x20 or below: pages come without spaces, and a call per token would cost more than
 * the rest of the scan.
 */
function skipWs(b: Buffer, i: number): number {
  const n = b.length;
  while (i < n && isWs(b[i]!)) i++;
  return i;
}

/** The field whose name is bytes [s, e), or -1. */
function fieldAt(keys: readonly Buffer[], b: Buffer, s: number, e: number): number {
  for (let f = 0; f < keys.length; f++) {
    const name = keys[f]!;
    if (name.length !== e - s) continue;
    let k = 0;
    while (k < name.length && b[s + k] === name[k]) k++;
    if (k === name.length) return f;
  }
  return -1;
}

/** The fields' names as bytes, per field list (a stream asks with the same list every page). */
const names = new WeakMap<readonly string[], Buffer[]>();

/**
 * The page when it is plain (see ScannedPage), else undefined. `fields` are those asked for;
 * each row must carry the key sys_id (whether its value is usable is for the mapping to say).
 */
export function scanTablePage(bytes: Buffer, fields: readonly string[]): ScannedPage | undefined {
  let keys = names.get(fields);
  if (!keys) names.set(fields, (keys = fields.map((f) => Buffer.from(f, 'latin1'))));
  const nf = fields.length;
  const idField = fields.indexOf('sys_id');
  if (idField < 0 || fields.some((f) => /[^\x20-\x7e]|["\\]/.test(f))) return undefined;
  const b = bytes;
  const n = b.length;
  let at = new Int32Array(Math.max(64, Math.ceil(n / 400)) * nf * 2);
  let rows = 0;
  let i = 0;

  if (b[i]! <= 0x20) i = skipWs(b, i);
  if (b[i] !== 0x7b /* { */) return undefined;
  i++;
  if (b[i]! <= 0x20) i = skipWs(b, i);
  if (b[i] !== QUOTE) return undefined;
  const keyEnd = stringEnd(b, i + 1);
  if (keyEnd < 0 || !b.subarray(i + 1, keyEnd).equals(RESULT)) return undefined;
  i = keyEnd + 1;
  if (b[i]! <= 0x20) i = skipWs(b, i);
  if (b[i] !== 0x3a /* : */) return undefined;
  i++;
  if (b[i]! <= 0x20) i = skipWs(b, i);
  if (b[i] !== 0x5b /* [ */) return undefined;
  i++;
  if (b[i]! <= 0x20) i = skipWs(b, i);
  if (b[i] === 0x5d /* ] */) {
    i++;
  } else {
    let predicted = 0;
    for (;;) {
      // One row: {"key":"value",…}
      if (b[i] !== 0x7b) return undefined;
      i++;
      if ((rows + 1) * nf * 2 > at.length) {
        const bigger = new Int32Array(at.length * 2);
        bigger.set(at);
        at = bigger;
      }
      const base = rows * nf * 2;
      at.fill(-1, base, base + nf * 2);
      if (b[i]! <= 0x20) i = skipWs(b, i);
      if (b[i] === 0x7d /* } */) return undefined; // no sys_id
      for (;;) {
        if (b[i] !== QUOTE) return undefined;
        const ks = i + 1;
        // Rows list their keys in the same order: the field after the last one is compared as
        // the key is read; any other key is looked up among the fields.
        const expected = keys[predicted]!;
        let j = ks;
        let k = 0;
        while (k < expected.length && b[j] === expected[k]) {
          j++;
          k++;
        }
        let f = -1;
        let ke = j;
        if (k === expected.length && b[j] === QUOTE) f = predicted;
        else {
          ke = stringEnd(b, ks);
          if (ke < 0) return undefined;
          f = fieldAt(keys, b, ks, ke);
        }
        if (f < 0) return undefined; // a key not asked for
        // A key sent twice: the last value counts, as with JSON.parse.
        predicted = f + 1 === nf ? 0 : f + 1;
        i = ke + 1;
        if (b[i]! <= 0x20) i = skipWs(b, i);
        if (b[i] !== 0x3a) return undefined;
        i++;
        if (b[i]! <= 0x20) i = skipWs(b, i);
        if (b[i] !== QUOTE) return undefined; // not a string
        const vs = i + 1;
        const ve = stringEnd(b, vs);
        if (ve < 0) return undefined;
        at[base + 2 * f] = vs;
        at[base + 2 * f + 1] = ve;
        i = ve + 1;
        if (b[i]! <= 0x20) i = skipWs(b, i);
        if (b[i] === 0x2c /* , */) {
          i++;
          if (b[i]! <= 0x20) i = skipWs(b, i);
          continue;
        }
        if (b[i] === 0x7d) {
          i++;
          break;
        }
        return undefined;
      }
      if (at[base + 2 * idField]! < 0) return undefined;
      rows++;
      if (b[i]! <= 0x20) i = skipWs(b, i);
      if (b[i] === 0x2c) {
        i++;
        if (b[i]! <= 0x20) i = skipWs(b, i);
        continue;
      }
      if (b[i] === 0x5d) {
        i++;
        break;
      }
      return undefined;
    }
  }
  if (b[i]! <= 0x20) i = skipWs(b, i);
  if (b[i] !== 0x7d) return undefined;
  i++;
  if (b[i]! <= 0x20) i = skipWs(b, i);
  if (i !== n) return undefined;
  return new ScannedPage(bytes, fields, rows, at);
}
