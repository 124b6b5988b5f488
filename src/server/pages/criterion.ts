import type { FastifyInstance } from 'fastify';
import type { ListedDecision } from '../../domain/decisions.js';
import type { LayerSuggestion } from '../../domain/evidence.js';
import { attestationValidDays } from '../../engine/index.js';
import { layerAnchor, shortLayerName } from '../../review/anchors.js';
import { RuleIndex } from '../../review/conditions.js';
import { criterionView, type CriterionView } from '../../review/criteria.js';
import { listDecisions, pendingCriteria } from '../../review/decisions.js';
import { dateWords, valueWords } from '../../review/format.js';
import { chartWords, pointWords } from '../../review/html/chart.js';
import { html, raw, type Raw } from '../../review/html/escape.js';
import { HISTORY_LIMIT } from '../../review/load.js';
import { metricSeries, type MetricSeries } from '../../review/history.js';
import { reviewedSnapshot, type ReviewedSnapshot } from '../../review/reviewed.js';
import { summarise, type Ladder } from '../../review/summary.js';
import { notFound } from '../problem.js';
import { roleAllows, type Actor } from '../api-tokens.js';
import { decisionRows } from './account.js';
import type { PageDeps } from './deps.js';
import { attestForm, disputeForm, exemptForm, overrideForm, type FormPlace } from './forms.js';
import { mark, sendPage } from './layout.js';
import { storedHistory } from './load.js';
import { levelChoices, paths } from './parts.js';

export interface CriterionParams {
  account: string;
  model: string;
  id: string;
}

/** Everything a criterion's page shows. */
export interface CriterionPage {
  account: string;
  body: ReviewedSnapshot;
  layer: LayerSuggestion;
  ladder?: Ladder;
  view: CriterionView;
  series: MetricSeries[];
  decisions: ListedDecision[];
  pending: number;
  snapshots: number;
}

/**
 * `/accounts/{name}/criteria/{model}/{id}`: the statement, the rule's why, the evidence with its
 * sample and interval (borderline when the interval holds the threshold), each metric over the
 * snapshots with its threshold and the moments decisions or rules changed, and the decisions.
 */
export function criterionRoutes(app: FastifyInstance, deps: PageDeps): void {
  app.get<{ Params: CriterionParams }>(
    '/accounts/:account/criteria/:model/:id',
    { config: { access: 'viewer' } },
    async (request, reply) => {
      const data = await criterionPage(deps, request.params);
      const regions = criterionRegions(data, request.actor!, deps);
      return sendPage(reply, {
        title: `${data.view.statement} · ${data.account}`,
        actor: request.actor!,
        queue: deps.queue,
        // Even with a single snapshot: a decision re-renders the evidence, and a snapshot stored
        // meanwhile brings a chart that uPlot must be there to draw.
        charts: true,
        crumbs: [
          { text: 'Portfolio', href: '/' },
          { text: data.account, href: paths.account(data.account) },
          {
            text: shortLayerName(data.layer.layerName),
            href: `${paths.account(data.account)}#${layerAnchor(data.layer.model, data.layer.layer)}`,
          },
          { text: data.view.id },
        ],
        main: html`<p id="notice" class="notice" role="status"></p>
          ${Object.values(regions)}`,
      });
    },
  );
}

export async function criterionPage(deps: PageDeps, p: CriterionParams): Promise<CriterionPage> {
  const now = deps.now?.() ?? new Date();
  const { store, rules } = deps;
  const account = await store.getAccount(p.account);
  const body = await reviewedSnapshot(store, account.name, { rules, now });
  const layer = body.layers.find(
    (l) => l.model === p.model && l.criteria.some((c) => c.id === p.id),
  );
  const result = layer?.criteria.find((c) => c.id === p.id);
  if (!layer || !result)
    throw notFound(`"${p.model}/${p.id}" is no criterion of the rules ${rules.version}`);
  const index = new RuleIndex(rules);
  const metrics = new Map(body.metrics.map((m) => [m.id, m]));
  const absent = body.absent;
  const view = criterionView(layer, result, index, metrics, {
    asOf: body.asOf,
    ...(absent ? { absent } : {}),
  });
  const listed = await store.listSnapshots(account.id);
  const history = await storedHistory(deps, account, listed.slice(-HISTORY_LIMIT));
  const all = await listDecisions(store, account.name, { includeRevoked: true, rules, now });
  const bodies = history.map((h) => h.stored);
  const series = [...new Set(view.conditions.map((c) => c.metricId))].map((id) =>
    metricSeries(id, bodies.length ? bodies : [body], index, all),
  );
  const about = (d: ListedDecision) =>
    d.model === p.model &&
    (d.criterionId === p.id ||
      (d.kind === 'override' && d.layer === layer.layer) ||
      (d.kind === 'exempt' && !d.criterionId) ||
      (d.kind === 'revoke' && (d.criterionId === p.id || d.layer === layer.layer)));
  const summary = summarise({ body, rules });
  return {
    account: account.name,
    body,
    layer,
    ...(() => {
      const ladder = summary.models
        .flatMap((m) => m.ladders)
        .find((l) => l.model === layer.model && l.layer === layer.layer);
      return ladder ? { ladder } : {};
    })(),
    view,
    series,
    decisions: all.filter(about),
    pending: (await pendingCriteria(store, account.name, { rules, now })).length,
    snapshots: listed.length,
  };
}

const STATUS_KIND = { met: 'ok', unmet: 'bad', unknown: 'todo' } as const;

export function criterionRegions(
  data: CriterionPage,
  actor: Actor,
  deps: PageDeps,
): Record<string, Raw> {
  const now = deps.now?.() ?? new Date();
  const v = data.view;
  const place: FormPlace = {
    account: data.account,
    back: paths.criterion(data.account, v.model, v.id),
    from: `criterion:${v.model}/${v.id}`,
  };
  const decides = roleAllows(actor.role, 'reviewer');
  return {
    'criterion-head': head(data),
    'criterion-evidence': evidence(data),
    'criterion-layer': layerBlock(data),
    decide: decides
      ? decideForms(data, place, deps, now)
      : html`<section id="decide" class="card">
          <h2>Decide</h2>
          <p class="meta">
            Sign in with a reviewer token to attest, dispute, exempt or decide a level.
          </p>
        </section>`,
    'criterion-decisions': html`<section
      id="criterion-decisions"
      class="card"
      aria-labelledby="cd-title"
    >
      <h2 id="cd-title">Decisions on this criterion and its layer</h2>
      ${decisionRows(data.decisions, place, decides)}
    </section>`,
  };
}

function head(data: CriterionPage): Raw {
  const v = data.view;
  return html`<section id="criterion-head" class="card" aria-labelledby="statement">
    <p class="marks">
      ${mark(STATUS_KIND[v.status], v.symbol, v.statusWords)}
      ${v.borderline ? mark('warn', '⚠', 'borderline: more data could turn it either way') : ''}
      ${v.disputed ? mark('bad', '⚑', 'disputed') : ''}
      ${v.exempt ? mark('muted', '⊘', 'not applicable') : ''}
      ${v.reviewOnly ? mark('muted', '✎', 'decided by a reviewer: helpdesk data cannot show it') : ''}
    </p>
    <h1 id="statement" class="statement">${v.statement}</h1>
    <p class="meta">
      ${shortLayerName(data.layer.layerName)} · level ${v.level} (${v.levelName}) ·
      ${data.layer.modelName} · criterion <code>${v.id}</code> · as of ${dateWords(data.body.asOf)},
      rules ${data.body.rulesVersion}
    </p>
    ${v.why ? html`<p class="why"><strong>Why this rule:</strong> ${v.why}</p>` : ''}
    ${v.attested ? html`<p>${mark('ok', '✎', v.attested.words)}${v.attested.evidenceUrl ? html` · <a href="${v.attested.evidenceUrl}" rel="noopener noreferrer">evidence</a>` : ''}</p>` : ''}
    ${v.disputed ? html`<p>${mark('bad', '⚑', v.disputed.words)}</p>` : ''}
    ${v.exempt ? html`<p>${mark('muted', '⊘', v.exempt.words)}</p>` : ''}
    ${v.wouldDecide ? html`<p class="meta">Would decide it: ${v.wouldDecide}</p>` : ''}
    <p class="meta">
      <a href="${`${paths.account(data.account)}#queue`}" class="queue-link"
        ><span class="queue-count">${data.pending}</span>
        ${data.pending === 1 ? 'criterion awaits' : 'criteria await'} review on ${data.account}</a
      >
    </p>
  </section>`;
}

/** The conditions with their evidence, and each metric over the snapshots. */
function evidence(data: CriterionPage): Raw {
  const v = data.view;
  return html`<section id="criterion-evidence" class="card" aria-labelledby="evidence-title">
    <h2 id="evidence-title">Evidence</h2>
    ${
      v.conditions.length
        ? html`${v.mode === 'any' && v.conditions.length > 1 ? html`<p class="meta">Any one of these will do.</p>` : ''}
            <ul class="criteria">
              ${v.conditions.map(
                (c) =>
                  html`<li id="${c.metricAnchor}">
                    ${mark(STATUS_KIND[c.status], c.status === 'met' ? '✓' : c.status === 'unmet' ? '✗' : '?', c.words)}
                    ${c.borderline ? mark('warn', '⚠', 'borderline: the interval holds the threshold') : ''}
                    <br />${c.evidence ? html`<strong>${c.evidence}</strong>` : html`<strong>no value</strong>`}${c.interval ? html` · ${c.interval}` : ''}${c.reason ? html` · ${c.reason}` : ''}
                  </li>`,
              )}
            </ul>
            <div class="charts">${data.series.map((s) => chart(s, data.snapshots))}</div>`
        : html`<p>
            Helpdesk data cannot show this: a reviewer decides it, with a reason and an expiry.
          </p>`
    }
  </section>`;
}

/** A uPlot chart (drawn by page.js from the JSON beside it), its words, and its values as a table. */
function chart(s: MetricSeries, snapshots: number): Raw {
  const id = `series-${s.metricId.replace(/[^a-zA-Z0-9_-]+/g, '-')}`;
  // One snapshot makes no line: the words and the value say all a chart would.
  const drawn = s.points.length > 1;
  const words = chartWords(s);
  return html`<figure class="metric-chart">
    <figcaption>
      <strong>${s.label}</strong>
      ${s.points.length === 1 ? 'on the only snapshot so far (a chart over time follows from the second)' : `over the last ${s.points.length} snapshots`}${snapshots > s.points.length ? ` (of ${snapshots})` : ''}
    </figcaption>
    ${
      drawn
        ? html`<div class="uchart" data-series="${id}" role="img" aria-label="${words}"></div>
            <script type="application/json" id="${id}">
              ${raw(
                // JSON in a script element: "<" escaped so no "</script>" can end it early.
                JSON.stringify(s).replace(/</g, '\\u003c'),
              )}
            </script>`
        : ''
    }
    <p class="chart-words">${words}</p>
    <details>
      <summary>Values</summary>
      <table class="rows">
        <thead>
          <tr>
            <th>Snapshot</th>
            <th>Value</th>
            <th>Sample</th>
            <th>95% interval</th>
          </tr>
        </thead>
        <tbody>
          ${[...s.points].reverse().map(
            (p) =>
              html`<tr>
                <td data-label="Snapshot">${dateWords(p.asOf)}</td>
                <td data-label="Value">${pointWords(p, s.unit)}</td>
                <td data-label="Sample">${p.sampleSize ?? '—'}</td>
                <td data-label="95% interval">
                  ${p.interval ? `${valueWords(p.interval[0], s.unit)}–${valueWords(p.interval[1], s.unit)}` : '—'}
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </details>
  </figure>`;
}

/** The criterion's layer: the suggested level and, beside it, the decided one. */
function layerBlock(data: CriterionPage): Raw {
  const l = data.ladder;
  return html`<section id="criterion-layer" class="card" aria-labelledby="layer-title">
    <h2 id="layer-title">${shortLayerName(data.layer.layerName)}</h2>
    ${
      l
        ? html`<p>Suggested by the evidence: <strong>${l.words}</strong></p>
            ${l.override ? html`<p class="override-line">${l.override.stale ? mark('bad', '⚠', 'Stale:') : mark('warn', '✎', 'Decided:')} ${l.override.words}</p>` : html`<p class="meta">No level decided by a reviewer: the suggestion stands.</p>`}`
        : ''
    }
  </section>`;
}

function decideForms(data: CriterionPage, place: FormPlace, deps: PageDeps, now: Date): Raw {
  const v = data.view;
  const index = new RuleIndex(deps.rules);
  const found = index.criterion(v.model, v.layer, v.id);
  const ref = {
    model: v.model,
    id: v.id,
    validDays: found ? attestationValidDays(found.rule) : 365,
  };
  const levels = levelChoices(index, v.model);
  return html`<section id="decide" aria-labelledby="decide-title">
    <h2 id="decide-title" class="section-title">Decide</h2>
    <div class="decide">
      <div class="card">
        <h3>Attest</h3>
        <p class="meta">Say whether it is in place where the data cannot show it.</p>
        ${attestForm(place, ref, { key: 'attest', now })}
      </div>
      <div class="card">
        <h3>Dispute</h3>
        <p class="meta">The data says ${v.statusWords}; say otherwise, with why.</p>
        ${disputeForm(place, ref, { key: 'dispute', dataSaysMet: v.status === 'met', now })}
      </div>
      <div class="card">
        <h3>Not applicable</h3>
        ${exemptForm(place, { model: v.model, id: v.id, modelName: data.layer.modelName }, { key: 'exempt', now })}
      </div>
      <div class="card">
        <h3>Decide the level of ${shortLayerName(data.layer.layerName)}</h3>
        ${overrideForm(
          place,
          { model: v.model, layer: v.layer, levels, suggested: data.layer.level },
          { key: 'override', now },
        )}
      </div>
    </div>
  </section>`;
}
