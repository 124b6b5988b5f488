import type { Action } from '../actions.js';
import type { CriterionView } from '../criteria.js';
import type { HistoryRow } from '../history.js';
import type { EvidenceRow, ExemptRow, LayerDetail, ReviewView } from '../view.js';
import { actionItem } from './first-screen.js';
import { lineChart } from './chart.js';
import { html, raw } from './escape.js';

/** The detail after the first screen: layers and criteria, exemptions, evidence, history, groups. */
export function detail(v: ReviewView): string {
  return html`<div class="detail">
    ${raw(allActions(v.summary.actions))}
    <section aria-labelledby="layers-title">
      <h2 id="layers-title">Layers and criteria</h2>
      ${v.layers.map((l) => raw(layerSection(l)))}
    </section>
    ${v.exempt.length ? raw(exemptSection(v.exempt)) : ''}
    ${raw(evidenceSection(v.evidence, v.dataAge))}
    ${v.history.length ? raw(historySection(v.history)) : ''}
    ${v.groups.length ? raw(groupsSection(v)) : ''}
  </div>`.html;
}

function allActions(actions: Action[]): string {
  if (!actions.length) return '';
  const kinds: [Action['kind'], string][] = [
    ['improve', 'To improve'],
    ['data', 'Awaiting data'],
    ['review', 'Awaiting a reviewer'],
  ];
  return html`<section aria-labelledby="all-actions">
    <h2 id="all-actions">All actions, ranked</h2>
    ${kinds.map(([kind, title]) => {
      const xs = actions.filter((a) => a.kind === kind);
      return xs.length
        ? html`<h3>${title}</h3>
            <ol>
              ${xs.map((a) => raw(actionItem(a)))}
            </ol>`
        : '';
    })}
  </section>`.html;
}

export function layerSection(l: LayerDetail): string {
  const d = l.ladder;
  return html`<section
    class="layer"
    id="${l.anchor}"
    aria-label="${`${l.modelName}: ${d.layerName}`}"
  >
    <h3>${d.layerName} <span class="meta">· ${l.modelName}</span></h3>
    <p>
      ${d.exempt ? 'Not applicable' : d.words}${d.held ? ' (held from the last full snapshot)' : ''}
    </p>
    ${d.override ? html`<p class="override${d.override.stale ? ' stale' : ''}">${d.override.words}</p>` : ''}
    ${l.criteria.map((c) => raw(criterionArticle(c)))}
  </section>`.html;
}

/** A criterion: status in symbol and word, statement, why, evidence (linked to its rows), marks. */
export function criterionArticle(c: CriterionView): string {
  return html`<article class="criterion" id="${c.anchor}">
    <p>
      <span class="status ${c.status}">${c.symbol} ${c.statusWords}</span> · level ${c.level}
      (${c.levelName})${c.borderline ? html` <span class="tag borderline">⚠ borderline</span>` : ''}${c.disputed ? html` <span class="tag disputed">⚑ disputed</span>` : ''}
    </p>
    <p class="statement">${c.statement}</p>
    ${c.why ? html`<p class="why">Why: ${c.why}</p>` : ''}
    ${
      c.conditions.length
        ? html`<ul>
            ${c.conditions.map((x) => html`<li>${x.status === 'met' ? '✓' : x.status === 'unmet' ? '✗' : '?'} ${x.words}${c.mode === 'any' && c.conditions.length > 1 ? ' (any one will do)' : ''}: ${x.evidence ? html`<a href="#${x.metricAnchor}">${x.evidence}</a>` : html`<a href="#${x.metricAnchor}">no value</a>`}${x.interval ? `; ${x.interval}` : ''}${x.borderline ? ' — borderline: the interval holds the threshold' : ''}${x.reason ? ` (${x.reason})` : ''}</li>`)}
          </ul>`
        : html`<p class="meta">Helpdesk data cannot show this: a reviewer decides it.</p>`
    }
    ${c.attested ? html`<p>${c.attested.words}${c.attested.evidenceUrl ? html` · evidence: ${c.attested.evidenceUrl.replace(/^https?:\/\//i, '')}` : ''}</p>` : ''}
    ${c.disputed ? html`<p>⚑ ${c.disputed.words}</p>` : ''}
    ${c.wouldDecide ? html`<p class="meta">Would decide it: ${c.wouldDecide}</p>` : ''}
  </article>`.html;
}

function exemptSection(rows: ExemptRow[]): string {
  return html`<section aria-labelledby="exempt-title">
    <h2 id="exempt-title">Not applicable (exempt)</h2>
    <ul>
      ${rows.map((r) => html`<li${r.anchor ? html` id="${r.anchor}"` : ''}>⊘ <strong>${r.what}</strong>: ${r.words}</li>`)}
    </ul>
  </section>`.html;
}

function evidenceSection(rows: EvidenceRow[], dataAge?: string): string {
  return html`<section aria-labelledby="evidence-title">
    <h2 id="evidence-title">Evidence</h2>
    ${dataAge ? html`<p class="note" role="note"><strong>Data age:</strong> ${dataAge}</p>` : ''}
    ${rows.length ? rows.map((r) => raw(evidenceRow(r))) : html`<p>No evidence: the account has no records yet.</p>`}
  </section>`.html;
}

/** One metric: value, sample, window, interval, sources, the criteria using it, its chart. */
export function evidenceRow(r: EvidenceRow): string {
  return html`<div class="evidence-row" id="${r.anchor}">
    <dl class="figures">
      <dt>${r.label}</dt>
      <dd>
        ${r.value ? html`<strong>${r.value}</strong>${r.sample ? ` ${r.sample}` : ''}, ${r.when}` : html`${r.absent ?? 'no data'} (${r.when})`}
      </dd>
      ${r.interval ? html`<dd>${r.interval}</dd>` : ''}
      ${r.sources ? html`<dd class="meta">Source: ${r.sources}</dd>` : ''}
      ${r.usedBy.length ? html`<dd class="meta">Used by: ${r.usedBy.map((u, i) => html`${i ? '; ' : ''}<a href="#${u.anchor}">${u.statement}</a>`)}</dd>` : ''}
    </dl>
    ${r.series ? raw(lineChart(r.series)) : ''}
  </div>`.html;
}

function historySection(rows: HistoryRow[]): string {
  return html`<section class="history" aria-labelledby="history-title">
    <h2 id="history-title">History</h2>
    <ol reversed>
      ${rows.map(
        (r) =>
          html`<li>
            <strong>${r.asOfWords}</strong> · ${r.windowWords} ·
            ${r.rules}${r.rulesChanged ? html` <span class="tag">⟳ rules changed</span>` : ''}${r.partial ? ' · partial' : ''}
            <br />${r.levels.map((l, i) => html`${i ? ', ' : ''}${l.layerName} ${l.stored}`)}
            ${r.rejudgedWords ? html`<br /><em>${r.rejudgedWords}</em>` : ''}
            <ul>
              ${r.diff.map((d) => html`<li>${d}</li>`)}
            </ul>
          </li>`,
      )}
    </ol>
  </section>`.html;
}

function groupsSection(v: ReviewView): string {
  return html`<section aria-labelledby="groups-title">
    <h2 id="groups-title">How the groups were read</h2>
    <p>
      Roles come from the account's group-roles mapping first, then a partner flag from the source,
      then the group's name.
    </p>
    <table>
      <thead>
        <tr>
          <th>Group</th>
          <th>Roles</th>
          <th>Read from</th>
        </tr>
      </thead>
      <tbody>
        ${v.groups.map(
          (g) =>
            html`<tr>
              <td>${g.name}</td>
              <td>${g.roles}</td>
              <td>${g.readFrom}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${v.moreGroups ? html`<p>…and ${v.moreGroups} more groups.</p>` : ''}
  </section>`.html;
}
