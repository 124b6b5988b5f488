import type { Action } from '../actions.js';
import { targetsWords } from '../actions.js';
import type { Ladder, ModelSummary, Summary } from '../summary.js';
import { html, raw, type Raw } from './escape.js';

/** Where links point: `#anchor` in the report; the page may point elsewhere. */
export interface Links {
  layer?: (l: Ladder) => string;
  criterion?: (anchor: string) => string;
}

const STEP = { proven: '■', possible: '◧', open: '□' } as const;
const STEP_WORDS = { proven: 'proven', possible: 'possible', open: 'not reached' } as const;

/** How many actions of each kind the first screen shows. */
export const FIRST_SCREEN_ACTIONS = { improve: 5, data: 3, review: 3 };

/**
 * The first screen: as-of, window in words, rules version, one sentence per model, a ladder per
 * layer, the change since the previous snapshot and the top actions.
 */
export function firstScreen(s: Summary, links: Links = {}): string {
  return html`<section class="summary" aria-labelledby="summary-title">
    <header>
      <h1 id="summary-title">Support maturity: ${s.account}</h1>
      <p class="meta">
        As of <strong>${s.asOfWords}</strong> ·
        <strong>${s.windowWords}</strong>${s.periodWords ? ` (${s.periodWords})` : ''} ·
        ${s.rules.words}${s.rules.storedWith ? ` (${s.rules.storedWith})` : ''}${s.rules.readWith ? ` · ${s.rules.readWith.words}` : ''}
      </p>
      ${s.partial ? html`<p class="note" role="note">⚠ Partial: ${s.partial}</p>` : ''}
      ${s.outside ? html`<p class="note urgent" role="note">⚠ ${s.outside}</p>` : ''}
      ${s.advice.map((a) => html`<p class="note${a.severity === 'urgent' ? ' urgent' : ''}" role="note"><strong>${a.severity === 'urgent' ? '⚠ Urgent' : 'ℹ Advice'}:</strong> ${a.text}</p>`)}
    </header>
    <div class="first">
      <div class="models">${s.models.map((m) => raw(modelBlock(m, links)))}</div>
      <div class="next">${raw(changeBlock(s))} ${raw(actionsBlock(s.actions, links))}</div>
    </div>
  </section>`.html;
}

/** A model's sentence and its ladders. */
export function modelBlock(m: ModelSummary, links: Links = {}): string {
  return html`<section class="model" aria-label="${m.name}">
    <h2>${m.name}</h2>
    <p class="sentence">${m.sentence}</p>
    <ul class="ladders">
      ${m.ladders.map((l) => raw(ladderItem(l, links)))}
    </ul>
  </section>`.html;
}

/** One layer: its name, the steps (■ proven, ◧ possible, □ not reached) and the same in words. */
export function ladderItem(l: Ladder, links: Links = {}): string {
  const href = links.layer ? links.layer(l) : `#${l.anchor}`;
  const steps = l.steps.map(
    (st) =>
      html`<span
        class="step ${st.state}"
        title="${`${st.level} ${st.name}: ${STEP_WORDS[st.state]}`}"
        >${STEP[st.state]}</span
      >`,
  );
  const change = l.change
    ? html` <span class="change-mark"
        >${l.change.to > l.change.from ? '▲' : '▼'} ${l.change.from}→${l.change.to} since the last
        snapshot</span
      >`
    : '';
  return html`<li class="ladder">
    <a class="layer" href="${href}">${l.layerName}</a>
    ${l.top > 1 ? html`<span class="steps" aria-hidden="true">${steps}</span>` : ''}
    <span class="words"
      >${l.exempt ? 'Not applicable' : l.words}${l.held ? ' (held from the last full snapshot)' : ''}${change}</span
    >
    ${l.override ? html`<span class="override${l.override.stale ? ' stale' : ''}">${l.override.words}</span>` : ''}
  </li>`.html;
}

function changeBlock(s: Summary): string {
  if (!s.change)
    return html`<section class="change">
      <h2>Change</h2>
      <p>First snapshot of this account: nothing to compare yet.</p>
    </section>`.html;
  return html`<section class="change" aria-label="Change since the previous snapshot">
    <h2>${s.change.sinceWords}</h2>
    <ul>
      ${s.change.lines.map((line) => html`<li>${line.startsWith('Rules changed') ? '⟳ ' : ''}${line}</li>`)}
    </ul>
  </section>`.html;
}

/** The top actions: what to improve, then what awaits data, then what awaits a reviewer. */
export function actionsBlock(actions: Action[], links: Links = {}): string {
  const pick = (kind: Action['kind']) => actions.filter((a) => a.kind === kind && a.targets.length);
  const improve = pick('improve').slice(0, FIRST_SCREEN_ACTIONS.improve);
  const data = pick('data').slice(0, FIRST_SCREEN_ACTIONS.data);
  const review = pick('review').slice(0, FIRST_SCREEN_ACTIONS.review);
  const more = (kind: Action['kind'], shown: number) => {
    const n = actions.filter((a) => a.kind === kind).length - shown;
    return n > 0 ? html`<p class="meta">…and ${n} more in the detail.</p>` : '';
  };
  return html`<section class="actions" aria-label="Top actions">
    <h2>Top actions</h2>
    ${
      improve.length
        ? html`<ol>
              ${improve.map((a) => raw(actionItem(a, links)))}
            </ol>
            ${more('improve', improve.length)}`
        : html`<p>No unmet criterion stands before a next level.</p>`
    }
    ${
      data.length
        ? html`<h3>Awaiting data</h3>
            <ol>
              ${data.map((a) => raw(actionItem(a, links)))}
            </ol>`
        : ''
    }
    ${
      review.length
        ? html`<h3>Awaiting a reviewer</h3>
            <ol>
              ${review.map((a) => raw(actionItem(a, links)))}
            </ol>`
        : ''
    }
  </section>`.html;
}

export function actionItem(a: Action, links: Links = {}): string {
  const href = links.criterion ?? ((anchor: string) => `#${anchor}`);
  const first = a.criteria[0];
  const text: Raw = first ? html`<a href="${href(first.anchor)}">${a.text}</a>` : html`${a.text}`;
  const unlocks = a.unlocks ? ` (${a.unlocks} level${a.unlocks === 1 ? '' : 's'})` : '';
  return html`<li>
    ${text}${a.detail ? html`: ${a.detail}` : ''}
    <span class="targets">→ ${targetsWords(a)}${unlocks}</span>
  </li>`.html;
}
