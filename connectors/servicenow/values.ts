/**
 * The one place where ServiceNow values are normalised, whatever they came from: the Table API
 * (every value a string; reference fields as a plain sys_id, `{value, link}`, `{display_value,
 * link}` or `{display_value, value, link}` depending on `sysparm_display_value` and
 * `sysparm_exclude_reference_link`) or a list export (CSV with values or display labels such as
 * `3 - Moderate`, `?` or empty for missing). Pure functions: no I/O, no clock.
 */

/** A row reduced to field name → string (absent when the field is missing or empty). */
export type Fields = Record<string, string | undefined>;

const MISSING = new Set(['', '?', 'null', '(empty)', 'undefined']);
/** The longest spelling in MISSING: a longer value is never one of them. */
const MISSING_MAX = 9;
const SPACE = /\s/;
/** What String.prototype.trim removes at either end (a quick test for the ASCII ones first). */
const isSpace = (c: number) =>
  c === 32 || (c >= 9 && c <= 13) || (c > 127 && SPACE.test(String.fromCharCode(c)));

/**
 * Whether a value starting with this character may be one of MISSING's spellings: empty, `?`,
 * `(`, or n or u in either case. Most short values (digits, choice values) are not, and skip
 * the lower-casing and the lookup.
 */
const mayBeMissing = (c: number) =>
  Number.isNaN(c) || c === 63 || c === 40 || c === 110 || c === 78 || c === 117 || c === 85;

/** One field value of any shape → its stored value as a string, or undefined when missing. */
export function flattenValue(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') {
    // Most values (sys_ids, dates) are long and already trimmed: no copy, no lower-casing.
    const t =
      v.length && (isSpace(v.charCodeAt(0)) || isSpace(v.charCodeAt(v.length - 1))) ? v.trim() : v;
    return t.length <= MISSING_MAX && mayBeMissing(t.charCodeAt(0)) && MISSING.has(t.toLowerCase())
      ? undefined
      : t;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object') {
    const o = v as { value?: unknown; display_value?: unknown };
    // The stored value (a sys_id, a choice value) wins over the display value when both are given.
    if ('value' in o) return flattenValue(o.value);
    if ('display_value' in o) return flattenValue(o.display_value);
  }
  return undefined;
}

/** The display value of a field, when the API sent one (`{display_value}` shapes). */
export function displayValue(v: unknown): string | undefined {
  if (v && typeof v === 'object' && 'display_value' in v)
    return flattenValue((v as { display_value: unknown }).display_value);
  return undefined;
}

/**
 * A row whose every value is a string (the Table API's stored values) → `Fields`, in place: a
 * sync reads ten thousand rows a page, and a copy of each would only add to the garbage.
 */
export function flattenStringsInPlace(row: Record<string, string>): Fields {
  const out: Fields = row;
  for (const k in row) {
    if (!Object.hasOwn(row, k)) continue;
    const v = row[k]!;
    const f = flattenValue(v);
    if (f !== v) out[k] = f;
  }
  return out;
}

/** A whole row → `Fields`. Keys are kept as sent (dot-walked names such as `user.name` too). */
export function flattenRow(row: Record<string, unknown>): Fields {
  const out: Fields = {};
  for (const k in row) if (Object.hasOwn(row, k)) out[k] = flattenValue(row[k]);
  return out;
}

export function bool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const t = v.toLowerCase();
  if (t === 'true' || t === '1' || t === 'yes' || t === 'y') return true;
  if (t === 'false' || t === '0' || t === 'no' || t === 'n') return false;
  return undefined;
}

/** "3", "3.0", "1,234" → integer; anything else → undefined. */
export function int(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const plain = plainDigits(v);
  if (plain !== undefined) return plain;
  const t = v.replace(/,/g, '');
  if (!/^-?\d+(\.0+)?$/.test(t)) return undefined;
  return Number.parseInt(t, 10);
}

/**
 * A string of one to nine ASCII digits as its number (most counts and choice values are), else
 * undefined: the general paths then decide, with their regular expressions.
 */
function plainDigits(v: string): number | undefined {
  const n = v.length;
  if (n === 0 || n > 9) return undefined;
  let x = 0;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    x = x * 10 + c;
  }
  return x;
}

/** A choice value or its label: "3" or "3 - Moderate" → 3. */
export function choiceNumber(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const plain = plainDigits(v);
  if (plain !== undefined) return plain;
  const m = /^(-?\d+)(\s*-\s*.*)?$/.exec(v.trim());
  return m ? Number(m[1]) : undefined;
}

/** A value that is its own slug already (a choice value such as `phone` or `self_service`). */
const SLUG = /^[a-z0-9]+(?:_[a-z0-9]+)*$/;

/** Lower-case label with runs of spaces, hyphens and punctuation as one underscore. */
export const slug = (v: string) =>
  SLUG.test(v)
    ? v
    : v
        .trim()
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '_')
        .replace(/^_|_$/g, '');

/**
 * Order of day, month and year in slash/dot dates. The Table API always sends
 * `yyyy-MM-dd HH:mm:ss` in UTC; exports use the instance's format, with no zone.
 */
export type DateOrder = 'ymd' | 'dmy' | 'mdy';

const YMD =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const SLASH =
  /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/;

/**
 * A ServiceNow date-time → ISO-8601 in UTC. Values without a zone are taken as UTC (the Table
 * API's stored values are UTC; an export's zone is not in the file). Returns undefined when
 * missing and null when present but not a valid date.
 */
export function parseDate(
  v: string | undefined,
  order: DateOrder = 'ymd',
): string | undefined | null {
  if (v === undefined) return undefined;
  const quick = tableApiDate(v) ?? (order === 'ymd' ? undefined : exportDate(v, order));
  if (quick !== undefined) return quick;
  const t = v.trim();
  let y: number, mo: number, d: number, h: number, mi: number, s: number;
  let zone = 'Z';
  const iso = YMD.exec(t);
  if (iso) {
    [y, mo, d, h, mi, s] = [iso[1], iso[2], iso[3], iso[4], iso[5], iso[6]].map((x) =>
      Number(x ?? 0),
    ) as [number, number, number, number, number, number];
    if (iso[7]) zone = iso[7] === 'Z' ? 'Z' : iso[7].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  } else {
    const m = SLASH.exec(t);
    if (!m || order === 'ymd') return null;
    const a = Number(m[1]);
    const b = Number(m[2]);
    [d, mo] = order === 'dmy' ? [a, b] : [b, a];
    y = Number(m[3]);
    h = Number(m[4] ?? 0);
    mi = Number(m[5] ?? 0);
    s = Number(m[6] ?? 0);
    const ampm = m[7]?.toLowerCase();
    if (ampm) {
      if (h < 1 || h > 12) return null;
      h = (h % 12) + (ampm === 'pm' ? 12 : 0);
    }
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const check = new Date(Date.UTC(2000, mo - 1, d, h, mi, s));
  // Date.UTC reads years 0-99 as 1900-1999: set the year as written (the records' schema then
  // refuses one outside 1970-2100, naming it).
  check.setUTCFullYear(y, mo - 1, d);
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return null; // 31/2
  if (zone === 'Z') return check.toISOString();
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const withZone = new Date(`${p(y, 4)}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}${zone}`);
  return Number.isNaN(withZone.getTime()) ? null : withZone.toISOString();
}

const digit = (s: string, i: number) => s.charCodeAt(i) - 48;
const two = (s: string, i: number) => digit(s, i) * 10 + digit(s, i + 1);
const DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The Table API's own shape, `yyyy-MM-dd HH:mm:ss` (UTC), read without a regular expression or a
 * Date: a sync reads five of them per incident. The ISO form is the same characters with `T` and
 * `.000Z`. Undefined for any other shape or a year before 100 (the general path decides), null
 * for that shape with an impossible day or time.
 */
function tableApiDate(v: string): string | null | undefined {
  if (v.length !== 19 || v[4] !== '-' || v[7] !== '-' || v[10] !== ' ') return undefined;
  if (v[13] !== ':' || v[16] !== ':') return undefined;
  for (let k = 0; k < DIGITS.length; k++) {
    const c = v.charCodeAt(DIGITS[k]!);
    if (c < 48 || c > 57) return undefined;
  }
  const y = two(v, 0) * 100 + two(v, 2);
  if (y < 100) return undefined;
  const mo = two(v, 5);
  const d = two(v, 8);
  if (mo < 1 || mo > 12 || d < 1 || two(v, 11) > 23 || two(v, 14) > 59 || two(v, 17) > 59)
    return null;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (mo === 2 && leap ? 29 : MONTH_DAYS[mo - 1]!)) return null;
  return `${v.slice(0, 10)}T${v.slice(11)}.000Z`;
}

/** 00 to 99, for writing ISO dates without padStart. */
const TWO = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
/** The digit at `i`, or -1 (another character, or past the end). */
const digitAt = (s: string, i: number) => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
};
/** A separator of the day, month and year of an export's date: / . - */
const dateSep = (c: number) => c === 47 || c === 46 || c === 45;

/**
 * An export's `d/m/yyyy H:mm` (or `H:mm:ss`, or no time; day or month first as `order` says;
 * separators / . -), read without a regular expression or a Date: an import reads several per
 * row. Undefined for any other shape (a 12-hour clock, surrounding spaces: the general path
 * decides), null for that shape with an impossible day or time, as the general path would.
 */
function exportDate(v: string, order: 'dmy' | 'mdy'): string | null | undefined {
  const len = v.length;
  let i = 0;
  let a = digitAt(v, i++);
  if (a < 0) return undefined;
  if (digitAt(v, i) >= 0) a = a * 10 + digitAt(v, i++);
  if (!dateSep(v.charCodeAt(i++))) return undefined;
  let b = digitAt(v, i++);
  if (b < 0) return undefined;
  if (digitAt(v, i) >= 0) b = b * 10 + digitAt(v, i++);
  if (!dateSep(v.charCodeAt(i++))) return undefined;
  const yearAt = i;
  let y = 0;
  for (const end = i + 4; i < end; i++) {
    const c = digitAt(v, i);
    if (c < 0) return undefined;
    y = y * 10 + c;
  }
  let h = 0;
  let mi = 0;
  let s = 0;
  if (i < len) {
    if (v.charCodeAt(i++) !== 32 /* space */) return undefined;
    h = digitAt(v, i++);
    if (h < 0) return undefined;
    if (digitAt(v, i) >= 0) h = h * 10 + digitAt(v, i++);
    if (v.charCodeAt(i++) !== 58 /* : */) return undefined;
    mi = digitAt(v, i) * 10 + digitAt(v, i + 1);
    if (digitAt(v, i) < 0 || digitAt(v, i + 1) < 0) return undefined;
    i += 2;
    if (i < len) {
      if (v.charCodeAt(i++) !== 58) return undefined;
      s = digitAt(v, i) * 10 + digitAt(v, i + 1);
      if (digitAt(v, i) < 0 || digitAt(v, i + 1) < 0) return undefined;
      i += 2;
    }
    if (i !== len) return undefined;
  }
  const d = order === 'dmy' ? a : b;
  const mo = order === 'dmy' ? b : a;
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (mo === 2 && leap ? 29 : MONTH_DAYS[mo - 1]!)) return null;
  return `${v.slice(yearAt, yearAt + 4)}-${TWO[mo]}-${TWO[d]}T${TWO[h]}:${TWO[mi]}:${TWO[s]}.000Z`;
}

/**
 * What a date value says about the order of day and month: "dmy" when the first number cannot
 * be a month, "mdy" when the second cannot, "ymd" for ISO dates, undefined when ambiguous.
 */
export function dateOrderHint(v: string | undefined): DateOrder | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  if (YMD.test(t)) return 'ymd';
  const m = SLASH.exec(t);
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (a > 12 && b <= 12) return 'dmy';
  if (b > 12 && a <= 12) return 'mdy';
  return undefined;
}

/** Table API stored date-time (UTC) for a query: 2016-02-29 01:16:00. */
export function toSnDateTime(iso: string | Date): string {
  return new Date(iso).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * A ServiceNow duration → minutes. Durations are stored as a date-time after the epoch
 * ("1970-01-03 04:00:00" is 2 days 4 hours); plain seconds are accepted too.
 */
export function durationMinutes(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) / 60;
  const iso = parseDate(t, 'ymd');
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return ms >= 0 ? ms / 60_000 : undefined;
}

/** A date-time field as ISO-8601, or undefined (missing or not a date): for optional fields. */
export const date = (v: string | undefined) => parseDate(v) ?? undefined;

/** `{ [key]: v }`, or nothing when v is undefined (optional record fields). */
export const opt = <K extends string, V>(key: K, v: V | undefined) =>
  (v === undefined ? {} : { [key]: v }) as { [P in K]?: V };

/** contract_sla.target (also dot-walked from task_sla) → SLA metric. */
export function slaMetric(target: string | undefined): 'first_reply_time' | 'resolution_time' {
  const t = target ? slug(target) : '';
  return t === 'response' ? 'first_reply_time' : 'resolution_time';
}
