import { constants } from 'node:buffer';
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import {
  recordKinds,
  recordSchemas,
  shown,
  type RecordBatch,
  type RecordKind,
} from '../domain/records.js';
import { checkAccountName } from '../domain/account-name.js';
import { ticketFamiliesIn, type FieldCoverage } from '../domain/fields.js';
import { decodeUtf8, describeUtf8Problem, readProblem } from '../domain/text.js';
import { MaturityError, zodSentence } from '../errors.js';
import type { Account, Store } from '../store/store.js';

const MAX_PROBLEMS = 20;
const { MAX_STRING_LENGTH } = constants;

/**
 * Validates a whole normalised-records document, then stores it in one transaction: a bad file
 * names the record and field of its first problem and stores nothing.
 */
export function parseRecordsDocument(doc: unknown, file = 'input'): RecordBatch {
  return parseRecordsWithFields(doc, file).batch;
}

/**
 * Like parseRecordsDocument, and also says which ticket field families the document delivers: a
 * family counts when at least one ticket carries one of its keys (even as [] or false).
 */
export function parseRecordsWithFields(
  doc: unknown,
  file = 'input',
): { batch: RecordBatch; fields: FieldCoverage } {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new MaturityError(
      'E_IMPORT_INVALID',
      `${file}: expected a JSON object with keys like "tickets"; nothing was stored`,
    );
  }
  if (Object.keys(doc).length === 0) {
    throw new MaturityError(
      'E_IMPORT_INVALID',
      `${file}: holds no record kinds (expected keys like "tickets": [...]); nothing was stored`,
    );
  }
  const problems: string[] = [];
  const batch: RecordBatch = {};
  const fields: FieldCoverage = {};
  for (const [key, list] of Object.entries(doc)) {
    if (!(recordKinds as string[]).includes(key)) {
      problems.push(`unknown key ${shown(key)} (expected one of: ${recordKinds.join(', ')})`);
      continue;
    }
    if (!Array.isArray(list)) {
      problems.push(`${key}: must be an array of records`);
      continue;
    }
    const kind = key as RecordKind;
    const schema = recordSchemas[kind] as z.ZodType;
    const out: unknown[] = [];
    list.forEach((raw, i) => {
      const r = schema.safeParse(raw);
      if (r.success) out.push(r.data);
      else if (problems.length < MAX_PROBLEMS) {
        const sid = (raw as { sourceId?: unknown })?.sourceId;
        const who =
          typeof sid === 'number' || (typeof sid === 'string' && /^[\w.:@/-]{1,60}$/.test(sid))
            ? ` (sourceId ${sid})`
            : typeof sid === 'string'
              ? ` (sourceId ${shown(sid)})`
              : '';
        const sentence = zodSentence(r.error, {
          top: 'record',
          label: (p) => `field ${p.map(String).join('.')}`,
        });
        problems.push(`${kind}[${i}]${who} ${sentence}`);
      } else problems.push('');
    });
    (batch as Record<string, unknown[]>)[kind] = out;
    if (kind === 'tickets') fields.tickets = ticketFamiliesIn(list);
  }
  if (problems.length) {
    const more =
      problems.length > 1
        ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})`
        : '';
    throw new MaturityError(
      'E_IMPORT_INVALID',
      `${file}: ${problems[0]}${more}; nothing was stored`,
    );
  }
  return { batch, fields };
}

export function readRecordsFile(file: string): RecordBatch {
  return readRecordsFileWithFields(file).batch;
}

export function readRecordsFileWithFields(file: string): {
  batch: RecordBatch;
  fields: FieldCoverage;
} {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new MaturityError('E_INPUT', `cannot read ${file}: ${readProblem(err)}`);
  }
  if (bytes.length > MAX_STRING_LENGTH) {
    throw new MaturityError(
      'E_IMPORT_INVALID',
      `${file}: ${Math.round(bytes.length / 2 ** 20)} MB is more than one JSON document can hold here (${Math.floor(MAX_STRING_LENGTH / 2 ** 20)} MB); split it by record kind; nothing was stored`,
    );
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    throw new MaturityError(
      'E_IMPORT_INVALID',
      `${file}: not UTF-8 text at ${describeUtf8Problem(decoded.problem)}; save it as UTF-8 JSON; nothing was stored`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(decoded.text);
  } catch (err) {
    // V8 quotes the text around the fault, newlines and all: one line, cut short.
    const why = (err as Error).message.replace(/[\s\p{Cc}]+/gu, ' ');
    throw new MaturityError(
      'E_IMPORT_INVALID',
      `${file}: not valid JSON (${why.length > 160 ? `${why.slice(0, 157)}…` : why}); nothing was stored`,
    );
  }
  return parseRecordsWithFields(doc, file);
}

export interface ImportResult {
  account: Account;
  counts: Partial<Record<RecordKind, number>>;
}

/** Stores a validated batch under account `name` (created if new), all or nothing. */
export async function importRecords(
  store: Store,
  name: string,
  batch: RecordBatch,
  source = 'import',
  fields?: FieldCoverage,
): Promise<ImportResult> {
  checkAccountName(name);
  const existing = await store.findAccount(name);
  if (existing && existing.connector !== 'records') {
    throw new MaturityError(
      'E_INPUT',
      `account "${name}" is a ${existing.connector} connection; import records into another name`,
    );
  }
  const counts: Partial<Record<RecordKind, number>> = {};
  const account = await store.transaction(async (tx) => {
    const id = await tx.ensureAccount(name, 'records');
    for (const kind of recordKinds) {
      const list = batch[kind];
      if (!list) continue;
      counts[kind] = await tx.upsert(id, kind, list as never);
    }
    await tx.markCovered(id, Object.keys(counts) as RecordKind[], source, {
      fields: fields ?? { tickets: parsedFamilies(batch) },
    });
    return id;
  });
  return { account: await store.getAccount(name).then((a) => ({ ...a, id: account })), counts };
}

/**
 * Families of an already parsed batch: parsing fills `tags` with [] where a ticket had none, so
 * tags count only when some ticket carries one.
 */
function parsedFamilies(batch: RecordBatch): string[] {
  const tickets = batch.tickets ?? [];
  const tagged = tickets.some((t) => t.tags.length > 0);
  return ticketFamiliesIn(tickets).filter((f) => f !== 'tags' || tagged);
}
