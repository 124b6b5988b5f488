import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import { decodeUtf8, readProblem } from '../domain/text.js';
import { MaturityError } from '../errors.js';
import {
  LayerFile,
  ModelFile,
  RulesIndex,
  type Layer,
  type Model,
  type RuleSet,
  type When,
} from './rules-schema.js';

export interface RulesProblem {
  file: string;
  line: number;
  col: number;
  message: string;
}

export const formatProblem = (p: RulesProblem) => `${p.file}:${p.line}:${p.col} ${p.message}`;

/**
 * Reads and checks a rules directory: YAML syntax, the schema, level order, unique criterion ids
 * and that every metric a criterion names exists. Problems come back one per line, with file and
 * line; nothing half-valid is returned.
 */
export function checkRules(
  dir: string,
  knownMetrics: ReadonlySet<string>,
): { rules?: RuleSet; problems: RulesProblem[] } {
  const problems: RulesProblem[] = [];
  const base = path.basename(path.resolve(dir));
  const hash = createHash('sha256');
  type At = (p: (string | number)[], message: string) => void;
  const read = <S extends z.ZodType>(
    rel: string,
    schema: S,
  ): { data: z.infer<S>; at: At } | undefined => {
    const shown = `${base}/${rel}`;
    const full = path.join(dir, rel);
    if (!existsSync(full)) {
      problems.push({ file: shown, line: 1, col: 1, message: 'file not found' });
      return undefined;
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(full);
    } catch (err) {
      problems.push({ file: shown, line: 1, col: 1, message: `cannot read: ${readProblem(err)}` });
      return undefined;
    }
    const decoded = decodeUtf8(bytes);
    if (!decoded.ok) {
      const { line, offset, byte } = decoded.problem;
      const hex = byte.toString(16).toUpperCase().padStart(2, '0');
      const message = `not UTF-8 text (byte ${offset + 1}: 0x${hex}); save it as UTF-8`;
      problems.push({ file: shown, line, col: 1, message });
      return undefined;
    }
    const text = decoded.text;
    hash.update(`${rel}\0${text}\0`);
    const lc = new LineCounter();
    let doc: Document;
    try {
      doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
    } catch (err) {
      // The parser's own limits (a nesting deep enough to exhaust the stack).
      problems.push({ file: shown, line: 1, col: 1, message: aliasMessage(err) });
      return undefined;
    }
    if (doc.errors.length) {
      for (const e of doc.errors) {
        const pos = lc.linePos(e.pos[0]);
        problems.push({
          file: shown,
          line: pos.line,
          col: pos.col,
          message: `YAML syntax error: ${firstLine(e.message)}`,
        });
      }
      return undefined;
    }
    let js: unknown;
    try {
      // Rules need no aliases to speak of; an alias that expands past the limit is an attack.
      js = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      problems.push({ file: shown, line: 1, col: 1, message: aliasMessage(err) });
      return undefined;
    }
    const parsed = schema.safeParse(js);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const { line, col } = locate(doc, lc, issue.path);
        const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
        problems.push({ file: shown, line, col, message: `${where}${issue.message}` });
      }
      return undefined;
    }
    // Semantic checks report at the position of what they name.
    const at: At = (p, message) => problems.push({ file: shown, ...locate(doc, lc, p), message });
    return { data: parsed.data, at };
  };

  const index = read('rules.yaml', RulesIndex)?.data;
  if (!index) return { problems };
  const models: Model[] = [];
  for (const id of index.models) {
    const modelRead = read(`${id}/model.yaml`, ModelFile);
    if (!modelRead) continue;
    const { data: model, at } = modelRead;
    if (model.id !== id) at(['id'], `model id "${model.id}" must match its folder "${id}"`);
    model.levels.forEach((l, i) => {
      if (l.level !== i + 1)
        at(
          ['levels', i, 'level'],
          `levels must run 1, 2, 3… in order (found ${l.level} at position ${i + 1})`,
        );
    });
    const seen = new Map<string, string>();
    const layerRules: Layer[] = [];
    for (const layerId of model.layers) {
      const rel = `${id}/${layerId}.yaml`;
      const layerRead = read(rel, LayerFile);
      if (!layerRead) continue;
      const { data: layer, at: lat } = layerRead;
      if (layer.layer !== layerId)
        lat(['layer'], `layer "${layer.layer}" must match its file name "${layerId}"`);
      let previous = 0;
      layer.levels.forEach((lvl, i) => {
        if (lvl.level <= previous) {
          lat(
            ['levels', i, 'level'],
            `levels must be in increasing order (level ${lvl.level} after level ${previous})`,
          );
        }
        if (lvl.level > model.levels.length) {
          lat(
            ['levels', i, 'level'],
            `level ${lvl.level} is not defined in ${id}/model.yaml (it has ${model.levels.length})`,
          );
        }
        previous = lvl.level;
        lvl.criteria.forEach((c, j) => {
          const other = seen.get(c.id);
          if (other)
            lat(
              ['levels', i, 'criteria', j, 'id'],
              `criterion id "${c.id}" is already used in ${other}`,
            );
          seen.set(c.id, rel);
          for (const [k, cond] of conditions(c.when)) {
            if (!knownMetrics.has(cond.metric)) {
              const p = ['levels', i, 'criteria', j, 'when', ...k, 'metric'];
              lat(p, `unknown metric "${cond.metric}"${suggest(cond.metric, knownMetrics)}`);
            }
            if (cond.op !== 'present' && cond.value === undefined) {
              lat(
                ['levels', i, 'criteria', j, 'when', ...k, 'op'],
                `op "${cond.op}" needs a value`,
              );
            }
          }
        });
      });
      const levelsPresent = new Set(layer.levels.map((l) => l.level));
      for (const l of model.levels) {
        if (!levelsPresent.has(l.level))
          lat(['levels'], `level ${l.level} (${l.name}) has no criteria in this layer`);
      }
      layerRules.push({ ...layer, file: rel });
    }
    model.advice.forEach((a, i) => {
      if (!model.layers.includes(a.layer))
        at(['advice', i, 'layer'], `layer "${a.layer}" is not a layer of ${id}`);
      if (!knownMetrics.has(a.when.metric))
        at(
          ['advice', i, 'when', 'metric'],
          `unknown metric "${a.when.metric}"${suggest(a.when.metric, knownMetrics)}`,
        );
    });
    models.push({ ...model, layerRules });
  }
  if (problems.length) return { problems };
  return { problems, rules: { version: index.version, hash: hash.digest('hex'), dir, models } };
}

export function loadRules(dir: string, knownMetrics: ReadonlySet<string>): RuleSet {
  const { rules, problems } = checkRules(dir, knownMetrics);
  if (!rules) {
    throw new MaturityError('E_RULES_INVALID', problems.map(formatProblem).join('\n'));
  }
  return rules;
}

function conditions(
  when: When | undefined,
): [(string | number)[], { metric: string; op: string; value?: number }][] {
  if (!when) return [];
  if ('all' in when) return when.all.map((c, i) => [['all', i], c]);
  if ('any' in when) return when.any.map((c, i) => [['any', i], c]);
  return [[[], when]];
}

/** The position of the deepest node that exists along `p`. */
function locate(doc: Document, lc: LineCounter, p: PropertyKey[]): { line: number; col: number } {
  for (let n = p.length; n >= 0; n--) {
    const node = doc.getIn(p.slice(0, n) as (string | number)[], true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}

const firstLine = (s: string) => s.split('\n')[0]!.trim();

/**
 * How far YAML aliases may expand a document (the yaml library's count of nodes reached through
 * aliases). A rules or group-roles file needs a handful; a "billion laughs" file needs millions.
 */
export const MAX_ALIAS_COUNT = 100;

/** The one-line message for a YAML document whose aliases expand too far (or fail otherwise). */
export function aliasMessage(err: unknown): string {
  const m = firstLine((err as Error).message ?? String(err));
  return /alias/i.test(m)
    ? `YAML aliases expand too far (more than ${MAX_ALIAS_COUNT} nodes): ${m}`
    : `cannot read the YAML: ${m}`;
}

function suggest(metric: string, known: ReadonlySet<string>): string {
  const close = [...known].filter((k) => k.startsWith(metric.split('.')[0]! + '.'));
  return close.length
    ? ` (known ${metric.split('.')[0]}.* metrics: ${close.slice(0, 6).join(', ')})`
    : '';
}
