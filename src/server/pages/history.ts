import type { FastifyInstance } from 'fastify';
import { html, type Raw } from '../../review/html/escape.js';
import type { HistoryRow } from '../../review/history.js';
import { loadReview } from '../../review/load.js';
import type { PageDeps } from './deps.js';
import { mark, sendPage } from './layout.js';
import { paths } from './parts.js';

/** How many snapshots the history page judges again under the current rules (the newest). */
export const HISTORY_PAGE_LIMIT = 30;

/**
 * `/accounts/{name}/history`: the snapshots, newest first, each with what changed since the one
 * before in words, a mark where the rules changed, and its levels judged again from its stored
 * metrics under the current rules (and the decisions valid at its as-of).
 */
export function historyRoutes(app: FastifyInstance, deps: PageDeps): void {
  app.get<{ Params: { account: string } }>(
    '/accounts/:account/history',
    { config: { access: 'viewer' } },
    async (request, reply) => {
      const now = deps.now?.() ?? new Date();
      const account = await deps.store.getAccount(request.params.account);
      const total = (await deps.store.listSnapshots(account.id)).length;
      const { view } = await loadReview(deps.store, account.name, {
        rules: deps.rules,
        now,
        historyLimit: HISTORY_PAGE_LIMIT,
      });
      const rows = view.history;
      return sendPage(reply, {
        title: `History · ${account.name}`,
        actor: request.actor!,
        queue: deps.queue,
        crumbs: [
          { text: 'Portfolio', href: '/' },
          { text: account.name, href: paths.account(account.name) },
          { text: 'History' },
        ],
        main: html`<h1>History of ${account.name}</h1>
          <p class="lead">
            ${total}
            ${total === 1 ? 'snapshot' : 'snapshots'}${total > rows.length ? `, the newest ${rows.length} shown` : ''};
            each judged again under the current rules ${deps.rules.version} from its stored metrics,
            beside the levels it was stored with.
          </p>
          <ol class="history-list" id="history">
            ${rows.map(row)}
          </ol>`,
      });
    },
  );
}

function row(r: HistoryRow): Raw {
  const moved = r.levels.filter((l) => l.current !== undefined && l.current !== l.stored);
  return html`<li class="card snapshot" data-snapshot="${r.id}">
    <h2>
      ${r.asOfWords} <span class="meta">· snapshot #${r.id} · ${r.windowWords} · ${r.rules}</span>
    </h2>
    <p class="marks">
      ${r.rulesChanged ? mark('warn', '⟳', 'Rules changed since the snapshot before') : ''}
      ${r.partial ? mark('warn', '⚠', 'Partial: some sources failed') : ''}
      ${moved.length ? mark('todo', '≠', 'Reads differently under the current rules') : ''}
    </p>
    <ul class="diff">
      ${r.diff.map((d) => html`<li>${d}</li>`)}
    </ul>
    <details>
      <summary>Levels: as stored${moved.length ? ' and under the current rules' : ''}</summary>
      <table class="rows">
        <thead>
          <tr>
            <th>Layer</th>
            <th>Stored</th>
            <th>Under the current rules</th>
          </tr>
        </thead>
        <tbody>
          ${r.levels.map(
            (l) =>
              html`<tr>
                <td data-label="Layer">${l.layerName}</td>
                <td data-label="Stored">${l.stored}</td>
                <td data-label="Under the current rules">
                  ${
                    l.current === undefined
                      ? '—'
                      : l.current === l.stored
                        ? `${l.current} (same)`
                        : mark('todo', '≠', `${l.current}`)
                  }
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </details>
    ${r.rejudgedWords ? html`<p>${r.rejudgedWords}</p>` : ''}
  </li>`;
}
