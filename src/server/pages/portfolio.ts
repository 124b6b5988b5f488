import type { FastifyInstance } from 'fastify';
import { html, type Raw } from '../../review/html/escape.js';
import type { PageDeps } from './deps.js';
import { mark, sendPage } from './layout.js';
import { portfolio, type PortfolioEntry } from './load.js';
import { freshnessMarks, levelCell, paths, singleLevel, singleLevelWords } from './parts.js';

/** `/`: every account at a glance, for a consultant with many clients. */
export function portfolioRoutes(app: FastifyInstance, deps: PageDeps): void {
  app.get('/', { config: { access: 'viewer' } }, async (request, reply) => {
    const entries = await portfolio(deps);
    return sendPage(reply, {
      title: 'Portfolio',
      actor: request.actor!,
      queue: deps.queue,
      crumbs: [{ text: 'Portfolio' }],
      main: html`<h1>Portfolio</h1>
        <p class="lead">
          ${entries.length} ${entries.length === 1 ? 'account' : 'accounts'}: each with its latest
          snapshot, read with the review decisions as they stand.
        </p>
        ${
          entries.length
            ? html`<div class="accounts">${entries.map(card)}</div>`
            : html`<p class="card">
                No account yet: connect one with <code>maturity connect</code> or import records
                with <code>maturity import records</code>.
              </p>`
        }`,
    });
  });
}

function card(e: PortfolioEntry): Raw {
  const name = e.account.name;
  const s = e.summary;
  const attention =
    e.account.status === 'needs-attention'
      ? mark(
          'bad',
          '✗',
          `Needs attention${e.account.statusDetail ? `: ${e.account.statusDetail}` : ''}`,
        )
      : '';
  return html`<article class="card account" data-account="${name}">
    <header class="account-head">
      <h2><a href="${paths.account(name)}">${name}</a></h2>
      <span class="muted">${e.account.connector}</span>
    </header>
    <p class="marks">${freshnessMarks(e.freshness)} ${attention}</p>
    ${
      s
        ? html`<p class="meta">As of ${s.asOfWords} · ${s.windowWords} · ${s.rules.words}</p>
            ${s.models.map((m, i) =>
              i === 0
                ? html`<ul class="levels" aria-label="${m.name}">
                    ${m.ladders.map(
                      (l) =>
                        html`<li><span class="layer">${l.layerName}</span> ${levelCell(l)}</li>`,
                    )}
                  </ul>`
                : html`<p class="model-line">
                    <span class="layer">${m.name}:</span> ${
                      m.exempt
                        ? 'not applicable'
                        : singleLevel(m)
                          ? singleLevelWords(m)
                          : m.ladders
                              .map((l) => `${l.levelName} (${l.level} of ${l.top})`)
                              .join('; ')
                    }
                  </p>`,
            )}
            <p class="pending">
              ${
                e.pending
                  ? html`<a href="${paths.account(name)}#queue"
                      >${mark('todo', '?', `${e.pending} ${e.pending === 1 ? 'criterion awaits' : 'criteria await'} review`)}</a
                    >`
                  : mark('ok', '✓', 'Nothing awaits review')
              }
            </p>`
        : html`<p class="meta">Take the first one with <code>maturity snapshot ${name}</code>.</p>`
    }
  </article>`;
}
