import type { FastifyInstance } from 'fastify';
import type { Decision, ListedDecision } from '../../domain/decisions.js';
import type { SnapshotBody } from '../../domain/evidence.js';
import { attestationValidDays } from '../../engine/index.js';
import { criterionAnchor } from '../../review/anchors.js';
import { RuleIndex } from '../../review/conditions.js';
import type { PendingCriterion } from '../../review/decisions.js';
import { dateWords } from '../../review/format.js';
import {
  actionItem,
  actionsBlock,
  modelBlock,
  type Links,
} from '../../review/html/first-screen.js';
import { html, raw, type Raw } from '../../review/html/escape.js';
import type { Summary } from '../../review/summary.js';
import type { LayerDetail } from '../../review/view.js';
import { roleAllows, type Actor } from '../api-tokens.js';
import type { PageDeps } from './deps.js';
import { attestForm, overrideForm, revokeForm, type FormPlace } from './forms.js';
import { mark, sendPage } from './layout.js';
import { accountPage, type AccountPage } from './load.js';
import { freshnessMarks, levelChoices, paths } from './parts.js';

/** How many actions of each kind the first screen lists (all are in the detail below). */
const FIRST_ACTIONS = { improve: 3, data: 2, review: 2 };

/**
 * `/accounts/{name}`: the first screen (as-of, window, rules; a sentence per model; a ladder per
 * layer; the change since the previous snapshot; the top actions) fits 1280×800 without
 * scrolling. Below: the review queue, the layers' criteria, what is exempt, the decisions.
 */
export function accountRoutes(app: FastifyInstance, deps: PageDeps): void {
  app.get<{ Params: { account: string } }>(
    '/accounts/:account',
    { config: { access: 'viewer' } },
    async (request, reply) => {
      const data = await accountPage(deps, request.params.account);
      const regions = accountRegions(data, request.actor!, deps);
      return sendPage(reply, {
        title: data.account.name,
        actor: request.actor!,
        queue: deps.queue,
        crumbs: [{ text: 'Portfolio', href: '/' }, { text: data.account.name }],
        main: html`<p id="notice" class="notice" role="status"></p>
          ${Object.values(regions)}`,
      });
    },
  );
}

/** The page's regions by element id: what a decision draws again. */
export function accountRegions(
  data: AccountPage,
  actor: Actor,
  deps: PageDeps,
): Record<string, Raw> {
  const now = deps.now?.() ?? new Date();
  const name = data.account.name;
  const place: FormPlace = { account: name, back: paths.account(name), from: 'account' };
  const decides = roleAllows(actor.role, 'reviewer');
  if (!data.view || !data.body)
    return {
      'first-screen': html`<section id="first-screen" class="card">
        <h1>${name}</h1>
        <p>
          No snapshot yet: take one with <code>maturity snapshot ${name}</code> (or
          <code>POST /api/v1/accounts/${name}/snapshots</code>).
        </p>
      </section>`,
      audit: auditRegion(data.decisions, place, decides),
    };
  const index = new RuleIndex(deps.rules);
  const hrefs = criterionHrefs(name, data.body);
  const links: Links = {
    layer: (l) => `#${l.anchor}`,
    criterion: (anchor) => hrefs.get(anchor) ?? `#${anchor}`,
  };
  return {
    'first-screen': firstScreen(data, links),
    queue: queueRegion(data.pending, { account: name, place, decides, now, index }),
    actions: allActions(data.view.summary, links),
    layers: html`<section id="layers" aria-labelledby="layers-title">
      <h2 id="layers-title" class="section-title">Layers and their criteria</h2>
      ${data.view.layers.map((l) => layerCard(l, { account: name, place, decides, now, index }))}
    </section>`,
    exempt: data.view.exempt.length
      ? html`<section id="exempt" class="card" aria-labelledby="exempt-title">
          <h2 id="exempt-title">Not applicable</h2>
          <ul>
            ${data.view.exempt.map((r) => html`<li>${mark('muted', '⊘', '')}<strong>${r.what}</strong>: ${r.words}</li>`)}
          </ul>
        </section>`
      : html`<section id="exempt" hidden></section>`,
    audit: auditRegion(data.decisions, place, decides),
  };
}

/** What the regions below the first screen need besides their data. */
interface RegionContext {
  account: string;
  place: FormPlace;
  /** The actor may decide (a reviewer or an admin). */
  decides: boolean;
  now: Date;
  index: RuleIndex;
}

/** Where each criterion's page is, by the anchor the shared partials link to. */
function criterionHrefs(account: string, body: SnapshotBody): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of body.layers)
    for (const c of l.criteria)
      out.set(criterionAnchor(l.model, l.layer, c.id), paths.criterion(account, l.model, c.id));
  return out;
}

function firstScreen(data: AccountPage, links: Links): Raw {
  const s = data.view!.summary;
  const [main, ...others] = s.models;
  const shown = trimActions(s);
  const total = s.actions.length;
  return html`<section id="first-screen" class="first" aria-labelledby="summary-title">
    <header class="first-head">
      <h1 id="summary-title">${s.account}</h1>
      <p class="meta">
        As of <strong>${s.asOfWords}</strong> ·
        <strong>${s.windowWords}</strong>${s.periodWords ? ` (${s.periodWords})` : ''} ·
        ${s.rules.words}${s.rules.readWith ? ` · ${s.rules.readWith.words}` : ''} ·
        <a href="${paths.history(s.account)}"
          >history (${data.snapshots.length}
          ${data.snapshots.length === 1 ? 'snapshot' : 'snapshots'})</a
        >
        · <a href="${`${paths.account(s.account)}/report.html`}">report to forward</a>
      </p>
      <p class="marks">
        ${data.freshness ? freshnessMarks(data.freshness) : ''}${
          data.pending.length
            ? html`<a href="#queue"
                >${mark('todo', '?', `${data.pending.length} ${data.pending.length === 1 ? 'criterion awaits' : 'criteria await'} review`)}</a
              >`
            : mark('ok', '✓', 'Nothing awaits review')
        }
      </p>
      ${s.partial ? html`<p class="note" role="note">⚠ ${s.partial}</p>` : ''}
      ${s.outside ? html`<p class="note urgent" role="note">⚠ ${s.outside}</p>` : ''}
      ${s.advice.filter((a) => a.severity === 'urgent').map((a) => html`<p class="note urgent" role="note"><strong>⚠ Urgent:</strong> ${a.text}</p>`)}
    </header>
    <div class="col col-main">${main ? raw(modelBlock(main, links)) : ''} ${changeBlock(s)}</div>
    <div class="col col-side">${others.map((m) => raw(modelBlock(m, links)))}</div>
    <div class="col col-actions">
      ${raw(actionsBlock(shown, links))}
      ${total > shown.length ? html`<p class="meta"><a href="#all-actions">All ${total} actions, ranked</a></p>` : ''}
    </div>
  </section>`;
}

/** The first screen lists the best few of each kind; the rest are below. */
function trimActions(s: Summary) {
  const out = [];
  for (const kind of ['improve', 'data', 'review'] as const)
    out.push(
      ...s.actions.filter((a) => a.kind === kind && a.targets.length).slice(0, FIRST_ACTIONS[kind]),
    );
  return out;
}

/**
 * The change since the previous snapshot, a line per layer that moved with its first reason (the
 * rest are in the history), the rules when they changed, and decided levels.
 */
function changeBlock(s: Summary): Raw {
  if (!s.change)
    return html`<section class="change">
      <h2>Change</h2>
      <p>First snapshot: nothing to compare yet.</p>
    </section>`;
  const c = s.change;
  const MAX = 4;
  const lines: Raw[] = [
    ...(c.rulesChanged ? [mark('warn', '⟳', c.rulesChanged.words)] : []),
    ...c.layers.map(
      (l) =>
        html`${mark(l.to > l.from ? 'ok' : 'bad', l.to > l.from ? '▲' : '▼', `${l.layerName} ${l.from}→${l.to}`)}${
          l.because[0] ? `: ${l.because[0]}` : ''
        }${l.because.length > 1 ? ` (and ${l.because.length - 1} more)` : ''}`,
    ),
    ...c.overrides.map((o) => html`${mark('warn', '✎', o)}`),
  ];
  return html`<section class="change" aria-label="Change since the previous snapshot">
    <h2>${c.sinceWords}</h2>
    ${
      lines.length
        ? html`<ul>
            ${lines.slice(0, MAX).map((l) => html`<li>${l}</li>`)}
          </ul>`
        : html`<p>No level changed.</p>`
    }
    <p class="meta">
      <a href="${paths.history(s.account)}"
        >${lines.length > MAX ? `${lines.length - MAX} more, and every reason, in the history` : 'Every reason in the history'}</a
      >
    </p>
  </section>`;
}

/** Every action, ranked: what to improve, then what awaits data, then a reviewer. */
function allActions(s: Summary, links: Links): Raw {
  const kinds = [
    ['improve', 'To improve'],
    ['data', 'Awaiting data'],
    ['review', 'Awaiting a reviewer'],
  ] as const;
  return html`<section id="all-actions" class="card" aria-labelledby="all-actions-title">
    <h2 id="all-actions-title">All actions, ranked</h2>
    ${
      s.actions.length
        ? kinds.map(([kind, title]) => {
            const xs = s.actions.filter((a) => a.kind === kind);
            return xs.length
              ? html`<h3>${title}</h3>
                  <ol>
                    ${xs.map((a) => raw(actionItem(a, links)))}
                  </ol>`
              : '';
          })
        : html`<p>Nothing to do: no criterion stands before a next level.</p>`
    }
  </section>`;
}

/** The criteria awaiting a decision, most useful first; a reviewer attests each in place. */
function queueRegion(
  pending: PendingCriterion[],
  { account, place, decides, now, index }: RegionContext,
): Raw {
  return html`<section id="queue" class="card" aria-labelledby="queue-title">
    <h2 id="queue-title">
      Review queue:
      <span class="queue-count">${pending.length}</span>
      ${pending.length === 1 ? 'criterion awaits' : 'criteria await'} a decision
    </h2>
    ${decides ? '' : html`<p class="meta">Sign in with a reviewer token to decide.</p>`}
    ${
      pending.length
        ? html`<ol class="queue">
            ${pending.map((p) => {
              const rule = index.criterion(p.model, p.layer, p.criterionId)?.rule;
              const key = `q-${p.model}-${p.criterionId}`;
              return html`<li data-criterion="${`${p.model}/${p.criterionId}`}">
                <a href="${paths.criterion(account, p.model, p.criterionId)}">${p.statement}</a>
                <span class="meta"
                  >· ${p.layerName} level
                  ${p.level}${p.unlocks ? html` · ${mark('todo', '▲', `alone it raises ${p.layerName} to ${p.level}`)}` : ''}</span
                >
                <br /><span class="meta"
                  >${p.byReviewer ? 'Only a reviewer can decide it' : (p.reason ?? 'Awaiting data')}${p.wouldDecide ? `; would decide it: ${p.wouldDecide}` : ''}</span
                >
                ${
                  decides
                    ? html`<details>
                        <summary>Attest</summary>
                        ${attestForm(
                          place,
                          {
                            model: p.model,
                            id: p.criterionId,
                            validDays: rule ? attestationValidDays(rule) : 365,
                          },
                          { key, short: true, now },
                        )}
                      </details>`
                    : ''
                }
              </li>`;
            })}
          </ol>`
        : html`<p>${mark('ok', '✓', 'Nothing awaits a decision.')}</p>`
    }
  </section>`;
}

/** A layer: its ladder in words, the decided level beside the suggested one, its criteria. */
function layerCard(l: LayerDetail, { account, place, decides, now, index }: RegionContext): Raw {
  const d = l.ladder;
  const levels = levelChoices(index, d.model);
  const byLevel = new Map<number, typeof l.criteria>();
  for (const c of l.criteria) byLevel.set(c.level, [...(byLevel.get(c.level) ?? []), c]);
  return html`<section
    class="card layer"
    id="${l.anchor}"
    aria-label="${`${l.modelName}: ${d.layerName}`}"
  >
    <h3>${d.layerName} <span class="meta">· ${l.modelName}</span></h3>
    <p>
      ${d.exempt ? 'Not applicable' : html`Suggested: ${d.words}`}${d.held ? ' (held from the last full snapshot)' : ''}
    </p>
    ${
      d.override
        ? html`<p class="override-line">
            ${d.override.stale ? mark('bad', '⚠', 'Stale:') : mark('warn', '✎', 'Decided:')}
            ${d.override.words}
          </p>`
        : ''
    }
    ${[...byLevel].map(
      ([level, cs]) =>
        html`<p class="level-head">Level ${level} · ${cs[0]!.levelName}</p>
          <ul class="criteria">
            ${cs.map(
              (c) =>
                html`<li id="${c.anchor}">
                  ${mark(c.status === 'met' ? 'ok' : c.status === 'unmet' ? 'bad' : 'todo', c.symbol, c.statusWords)}
                  <a href="${paths.criterion(account, c.model, c.id)}">${c.statement}</a>
                  ${c.borderline ? mark('warn', '⚠', 'borderline') : ''}${c.disputed ? mark('bad', '⚑', 'disputed') : ''}
                  <span class="value"
                    >${
                      c.attested
                        ? c.attested.words
                        : c.conditions
                            .filter((x) => x.valueWords)
                            .map((x) => `${x.words}: ${x.valueWords}`)
                            .join('; ')
                    }</span
                  >
                </li>`,
            )}
          </ul>`,
    )}
    ${
      decides && !d.exempt
        ? html`<details class="no-print">
            <summary>Decide the level of ${d.layerName}</summary>
            ${overrideForm(
              place,
              { model: d.model, layer: d.layer, levels, suggested: d.level },
              { key: `o-${d.model}-${d.layer}`, now },
            )}
          </details>`
        : ''
    }
  </section>`;
}

const KIND_WORDS: Record<ListedDecision['kind'], string> = {
  attest: 'Attested',
  dispute: 'Disputed',
  exempt: 'Not applicable',
  override: 'Level decided',
  revoke: 'Revoked',
};

const STATE_MARK: Record<ListedDecision['state'], [string, string, string]> = {
  active: ['ok', '✓', 'counts'],
  expired: ['muted', '⌛', 'expired'],
  revoked: ['muted', '↶', 'revoked'],
  revoke: ['muted', '↶', 'a revoke'],
};

/** What a decision said, in words. */
export function decidedWords(d: Decision): string {
  const what = d.criterionId
    ? `${d.model}/${d.criterionId}`
    : d.layer
      ? `${d.model}/${d.layer}`
      : d.model
        ? `${d.model} (whole model)`
        : '';
  const said =
    d.kind === 'override'
      ? `level ${d.level}${d.suggestedLevel !== undefined ? ` (suggested ${d.suggestedLevel})` : ''}`
      : d.inPlace === true
        ? 'in place'
        : d.inPlace === false
          ? 'not in place'
          : d.kind === 'revoke'
            ? `takes back #${d.revokes}`
            : '';
  return [what, said].filter(Boolean).join(': ');
}

/** The decisions, newest first: who, when, what, why, which token; a reviewer may revoke. */
export function decisionRows(decisions: ListedDecision[], place: FormPlace, decides: boolean): Raw {
  if (!decisions.length) return html`<p>No decision yet.</p>`;
  return html`<table class="rows audit">
    <thead>
      <tr>
        <th>#</th>
        <th>When</th>
        <th>Who</th>
        <th>Decision</th>
        <th>Why</th>
        <th>Until</th>
        <th>Now</th>
      </tr>
    </thead>
    <tbody>
      ${[...decisions].reverse().map((d) => {
        const [kind, sym, words] = STATE_MARK[d.state];
        return html`<tr data-decision="${d.id}" data-kind="${d.kind}">
          <td data-label="#">${d.id}</td>
          <td data-label="When">${dateWords(d.at)}</td>
          <td data-label="Who">
            ${d.actor}${d.token && d.token !== d.actor ? ` (token ${d.token})` : ''}
          </td>
          <td data-label="Decision">
            ${KIND_WORDS[d.kind]}
            ${decidedWords(d)}${d.since ? ` · true since ${dateWords(d.since)}` : ''}${d.evidenceUrl ? html` · <a href="${d.evidenceUrl}" rel="noopener noreferrer">evidence</a>` : ''}
          </td>
          <td data-label="Why">${d.reason}</td>
          <td data-label="Until">${d.expiresAt ? dateWords(d.expiresAt) : '—'}</td>
          <td data-label="Now">
            ${mark(kind, sym, words)}${d.revokedBy ? ` by #${d.revokedBy.id}` : ''}
            ${decides && (d.state === 'active' || d.state === 'expired') ? revokeForm(place, d) : ''}
          </td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

function auditRegion(decisions: ListedDecision[], place: FormPlace, decides: boolean): Raw {
  return html`<section id="audit" class="card" aria-labelledby="audit-title">
    <h2 id="audit-title">
      Decisions <span class="meta">(the audit trail: nothing is ever deleted)</span>
    </h2>
    <p class="meta">
      <a href="${`/api/v1/accounts/${encodeURIComponent(place.account)}/audit.csv`}" download
        >Download the audit trail (CSV)</a
      >
    </p>
    ${decisionRows(decisions, place, decides)}
  </section>`;
}
