import type { RuleIndex } from '../../review/conditions.js';
import type { Ladder, ModelSummary } from '../../review/summary.js';
import { html, type Raw } from '../../review/html/escape.js';
import type { Freshness } from './load.js';
import { mark } from './layout.js';

/** Paths of the pages, built in one place. */
export const paths = {
  account: (a: string) => `/accounts/${encodeURIComponent(a)}`,
  history: (a: string) => `/accounts/${encodeURIComponent(a)}/history`,
  criterion: (a: string, model: string, id: string) =>
    `/accounts/${encodeURIComponent(a)}/criteria/${encodeURIComponent(model)}/${encodeURIComponent(id)}`,
};

const FRESH: Record<Freshness['states'][number], [string, string]> = {
  fresh: ['ok', '✓'],
  stale: ['warn', '⚠'],
  partial: ['warn', '⚠'],
  none: ['muted', '–'],
};

/** Freshness as marks: "✓ Fresh: 3 h old", "⚠ Stale: 2 days old", "⚠ Partial: tickets failed". */
export function freshnessMarks(f: Freshness): Raw {
  return html`${f.states.map((s, i) => mark(FRESH[s][0], FRESH[s][1], f.words[i] ?? s))}`;
}

/**
 * A layer's level in one short cell: "3 Managed", with the possible level ("could be 4") and a
 * reviewer's decision beside it ("decided 2"). Words carry the meaning; colour only repeats it.
 */
export function levelCell(l: Ladder): Raw {
  if (l.exempt)
    return html`<span class="lvl lvl-na">n/a</span> <span class="lvlname">not applicable</span>`;
  return html`<span class="lvl lvl-${l.level}">${l.level}</span>
    <span class="lvlname">${l.levelName}</span>${
      l.possibleLevel > l.level ? html` <span class="could">could be ${l.possibleLevel}</span>` : ''
    }${
      l.override
        ? html` <span class="decided"
            >decided ${l.override.level}${l.override.stale ? ' (stale)' : ''}</span
          >`
        : ''
    }`;
}

/** A model with one level (each layer present or absent): "3 of 5 in place". */
export function singleLevelWords(m: ModelSummary): string {
  const live = m.ladders.filter((l) => !l.exempt);
  const present = live.filter((l) => l.level >= 1).length;
  const unsure = live.filter((l) => l.level < 1 && l.possibleLevel >= 1).length;
  return `${present} of ${live.length} in place${unsure ? `, ${unsure} undecided` : ''}`;
}

/** Whether a model is judged on one level only (present or absent per layer). */
export const singleLevel = (m: ModelSummary): boolean => m.ladders.every((l) => l.top === 1);

/** The levels a reviewer may decide for a layer of `model`: its baseline (0) and its levels. */
export function levelChoices(index: RuleIndex, model: string): { level: number; name: string }[] {
  const m = index.model(model);
  return [
    { level: 0, name: m?.baseline ?? 'none' },
    ...(m?.levels.map((x) => ({ level: x.level, name: x.name })) ?? []),
  ];
}
