/**
 * Text as it enters from files: what PostgreSQL can store, and bytes that really are UTF-8.
 * Pure functions, shared by the record schemas, the importers and the YAML readers.
 */
import { isUtf8 } from 'node:buffer';

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const MAYBE_PROBLEM = /[\0\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why PostgreSQL cannot store `s` as text, as a phrase ("contains …"), or undefined when it can.
 * It refuses the NUL character in text and jsonb alike, and a lone surrogate (half of a UTF-16
 * pair, not a character; JSON.parse lets `"\ud800"` through) is not valid Unicode.
 */
export function textProblem(s: string): string | undefined {
  // Nearly all text has neither: one scan of a character class decides, before the lookarounds.
  if (!MAYBE_PROBLEM.test(s)) return undefined;
  const nul = s.indexOf('\0');
  if (nul >= 0) return `contains a NUL character (\\u0000) at position ${nul + 1}`;
  const lone = LONE_SURROGATE.exec(s);
  if (lone) {
    const code = lone[0].charCodeAt(0).toString(16);
    return `contains a lone surrogate (\\u${code}) at position ${lone.index + 1}, which is not a character`;
  }
  return undefined;
}

/** Nesting a free-form JSON value may have (SLA policy conditions need two or three levels). */
const MAX_JSON_DEPTH = 32;

/**
 * The first string (key or value) anywhere inside a JSON value that PostgreSQL cannot store, as
 * `<path> <problem>` (path empty for the value itself), or a nesting past MAX_JSON_DEPTH;
 * undefined when there is none.
 */
export function jsonTextProblem(v: unknown, path = '', depth = 0): string | undefined {
  if (depth > MAX_JSON_DEPTH) return `${path} nests deeper than ${MAX_JSON_DEPTH} levels`;
  if (typeof v === 'string') {
    const p = textProblem(v);
    return p && (path ? `${path} ${p}` : p);
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = jsonTextProblem(v[i], `${path}[${i}]`, depth + 1);
      if (p) return p;
    }
    return undefined;
  }
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const kp = textProblem(k);
      if (kp) return `${path ? `${path} ` : ''}key ${JSON.stringify(k.slice(0, 40))} ${kp}`;
      const p = jsonTextProblem(x, path ? `${path}.${k}` : k, depth + 1);
      if (p) return p;
    }
  }
  return undefined;
}

/** Where bytes stop being UTF-8: the byte offset, its 1-based line and the offending byte. */
export interface Utf8Problem {
  offset: number;
  line: number;
  byte: number;
}

/**
 * The first byte of `buf` that does not start a well-formed UTF-8 sequence (overlong forms,
 * surrogates, code points past U+10FFFF and a sequence cut off by the end all count), or
 * undefined when all of it is UTF-8. `before` places `buf` in a longer stream (its offset and the
 * lines before it). Call it once a fast check (buffer.isUtf8) has failed: it walks byte by byte.
 */
export function utf8Problem(
  buf: Uint8Array,
  before: { offset: number; lines: number } = { offset: 0, lines: 0 },
): Utf8Problem | undefined {
  let line = before.lines + 1;
  const at = (i: number): Utf8Problem => ({ offset: before.offset + i, line, byte: buf[i]! });
  for (let i = 0; i < buf.length;) {
    const b = buf[i]!;
    if (b < 0x80) {
      if (b === 0x0a) line++;
      i++;
      continue;
    }
    const need =
      b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    if (!need) return at(i);
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return at(i);
      cp = (cp << 6) | (c & 0x3f);
    }
    const min = [0, 0x80, 0x800, 0x10000][need]!;
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return at(i);
    i += need + 1;
  }
  return undefined;
}

/** `line 5 (byte 1234: 0xE9)`: where a file stops being UTF-8, for a message. */
export const describeUtf8Problem = (p: Utf8Problem) =>
  `line ${p.line} (byte ${p.offset + 1}: 0x${p.byte.toString(16).toUpperCase().padStart(2, '0')})`;

/**
 * How many bytes at the end of `buf` start a UTF-8 sequence the next chunk of a stream would
 * complete (0 to 3): a stream checks the rest now and those bytes with the next chunk.
 */
export function utf8Tail(buf: Uint8Array): number {
  const n = buf.length;
  for (let k = 1; k <= Math.min(3, n); k++) {
    const b = buf[n - k]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return len > k ? k : 0;
  }
  return 0;
}

/**
 * A whole file's bytes as text, or where they stop being UTF-8: never mangled into replacement
 * characters. A leading byte-order mark is dropped.
 */
export function decodeUtf8(
  buf: Buffer,
): { ok: true; text: string } | { ok: false; problem: Utf8Problem } {
  if (!isUtf8(buf)) {
    const problem = utf8Problem(buf) ?? { offset: 0, line: 1, byte: buf[0] ?? 0 };
    return { ok: false, problem };
  }
  const text = buf.toString('utf8');
  return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/** A file that cannot be read, in words (`is a directory, not a file`), from its Node error. */
export function readProblem(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ERR_STRING_TOO_LONG':
    case 'ERR_FS_FILE_TOO_LARGE':
      return 'is too large to read at once';
    default:
      return e.code ?? e.message ?? String(err);
  }
}
