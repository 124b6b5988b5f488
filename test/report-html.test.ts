import { describe, expect, it } from 'vitest';
import type { SnapshotBody } from '../src/domain/evidence.js';
import { renderHtml } from '../src/report/render-html.js';
import { renderMarkdown } from '../src/report/render-markdown.js';
import { criterion, metric, reviewRules, snapshot } from './review/helpers.js';

const rules = reviewRules();

const evidence = (freshness: number, policies = 0) => [
  metric('tickets.count', 500, 500),
  metric('sla.policies.count', policies, policies),
  metric('sla.ola.count', 1, 1),
  metric('automations.count', 10, 10),
  metric('kb.articles.count', 40, 40),
  metric('kb.freshness', freshness, 40),
  metric('plans.count', 1, 1),
  metric('plans.documented.count', 0, 1),
  metric('kb.plans_article.count', 0, 40),
];

/** Three monthly snapshots: knowledge freshness climbs past 60%, the last with the rules changed. */
function history(): { id: number; stored: SnapshotBody }[] {
  const months = ['2026-04-30', '2026-05-31', '2026-06-30'];
  return [0.42, 0.58, 0.76].map((f, i) => ({
    id: i + 1,
    stored: {
      ...snapshot(rules, evidence(f), { asOf: `${months[i]}T23:59:59.999Z` }),
      ...(i < 2 ? { rulesVersion: '0.9.0', rulesHash: 'f00dfeed00' } : {}),
    },
  }));
}

function report(): string {
  const h = history();
  const body = h[2]!.stored;
  return renderHtml(body, { rules, previous: h[1]!.stored, history: h });
}

/** Every id="…" in the document. */
const ids = (html: string) => new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));

describe('HTML report', () => {
  it('has no script, no external URL and no external src or href', () => {
    const html = report();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\ssrc=/i);
    for (const [, href] of html.matchAll(/\shref="([^"]*)"/g)) expect(href).toMatch(/^#/);
    expect(html).not.toMatch(/<link\s/i);
    expect(html).not.toMatch(/@import|url\(/i);
  });

  it('links each criterion to the evidence rows it rests on, and every link lands', () => {
    const html = report();
    const anchors = ids(html);
    for (const [, target] of html.matchAll(/\shref="#([^"]+)"/g)) expect(anchors).toContain(target);
    const article = html.slice(
      html.indexOf('id="c-alpha-processes-kb-fresh"'),
      html.indexOf('</article>', html.indexOf('id="c-alpha-processes-kb-fresh"')),
    );
    expect(article).toContain('href="#m-kb-freshness"');
    expect(article).toContain('href="#m-kb-articles-count"');
    expect(anchors).toContain('m-kb-freshness');
    // A metric a criterion compares but the snapshot lacks still has its row, saying so.
    const row = html.slice(html.indexOf('id="m-sla-attainment"'));
    expect(row.slice(0, row.indexOf('</div>'))).toContain('no data');
  });

  it('opens with the first screen: as-of, window in words, rules, a sentence per model, ladders, change and actions', () => {
    const html = report();
    const first = html.slice(
      html.indexOf('<section class="summary"'),
      html.indexOf('<div class="detail">'),
    );
    expect(first).toContain('<strong>30 Jun 2026</strong>');
    expect(first).toContain('<strong>last 90 days</strong>');
    expect(first).toContain(`rules 1.0.0 (${rules.hash.slice(0, 8)})`);
    expect(first).toContain('Basic in 2 of 3 layers, Managed in Processes.');
    expect(first).toMatch(/Processes<\/a>\s*<span class="steps" aria-hidden="true">/);
    expect(first).toContain('Managed (3 of 3)');
    expect(first).toContain('Since 31 May 2026');
    expect(first).toContain('Processes 2→3: knowledge freshness 58%→76% crossed 60%');
    expect(first).toContain('⟳ Rules changed: 0.9.0 → 1.0.0');
    expect(first).toMatch(
      /Raise customer SLA policies to at least 1 \(now 0\)<\/a>\s*<span class="targets">→ Offerings L2, Strategy L2, Agreements, Service proposition \(with 1 more\) \(4 levels\)/,
    );
    expect(first).not.toMatch(/sla\.policies|kb\.freshness/);
  });

  it('charts each judged metric over the snapshots with its threshold and a rules-changed marker', () => {
    const html = report();
    const row = html.slice(html.indexOf('id="m-kb-freshness"'));
    const svg = row.slice(row.indexOf('<svg'), row.indexOf('</svg>') + 6);
    expect(svg).toContain('role="img"');
    expect(svg).toContain(
      'aria-label="Knowledge freshness over 3 snapshots: 42% on 30 Apr 2026 to 76% on 30 Jun 2026; threshold 60% (Processes L3); marked: 30 Jun 2026 rules 1.0.0"',
    );
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toMatch(/<line class="threshold"/);
    expect(svg).toMatch(/<line class="marker rules"/);
  });

  it('lists the history with the rules-changed mark and the diff in words', () => {
    const html = report();
    const history = html.slice(html.indexOf('id="history-title"'));
    expect(history).toContain('⟳ rules changed');
    expect(history).toContain('Processes 2→3: knowledge freshness 58%→76% crossed 60%');
    expect(history).toContain('First snapshot.');
  });

  it('marks a borderline criterion and a disputed one, and lists exempt ones apart', () => {
    const body = snapshot(rules, [
      ...evidence(0.62, 1),
      metric('sla.attainment', 0.91, 80, { interval: [0.83, 0.96] }),
    ]);
    Object.assign(criterion(body, 'offerings', 'sla-policy-defined'), {
      disputed: {
        decision: 3,
        by: 'Eve',
        at: '2026-06-20T00:00:00Z',
        reason: 'a placeholder policy',
        inPlace: false,
      },
    });
    Object.assign(criterion(body, 'proposition', 'proposition-published'), {
      exempt: {
        decision: 4,
        by: 'Dana',
        at: '2026-06-21T00:00:00Z',
        reason: 'we publish nothing',
        scope: 'criterion',
      },
    });
    const html = renderHtml(body, { rules });
    const met = html.slice(html.indexOf('id="c-alpha-offerings-sla-targets-met"'));
    expect(met.slice(0, met.indexOf('</article>'))).toContain('⚠ borderline');
    const disputed = html.slice(html.indexOf('id="c-alpha-offerings-sla-policy-defined"'));
    expect(disputed.slice(0, disputed.indexOf('</article>'))).toContain(
      'Disputed: Eve says it is not in place (20 Jun 2026): a placeholder policy',
    );
    const exempt = html.slice(html.indexOf('id="exempt-title"'));
    expect(exempt).toMatch(
      /id="c-beta-proposition-proposition-published">⊘ <strong>Is the proposition published to customers\? \(Service proposition\)<\/strong>: Not applicable, decided by Dana on 21 Jun 2026: we publish nothing/,
    );
  });

  it('escapes text that comes from the data instead of rendering it as markup', () => {
    const body = snapshot(rules, evidence(0.5), { account: 'acme <b>corp</b>' });
    body.layers[0]!.criteria[0]!.statement = 'Plans <script>alert(1)</script> defined';
    const html = renderHtml(body, {
      rules,
      ...{},
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<title>Support maturity: acme &lt;b&gt;corp&lt;/b&gt;</title>');
  });

  it('shows advice as a note and lists how groups were read, data text escaped', () => {
    const html = renderHtml(
      {
        ...snapshot(rules, evidence(0.5)),
        advice: [
          {
            id: 'team-outgrew-bootstrap',
            model: 'alpha',
            layer: 'offerings',
            severity: 'urgent',
            text: '20 people work tickets',
            values: { 'people.count': 20 },
          },
        ],
        groups: [{ id: 'g1', name: '> <b>L2</b> team', roles: ['tier2'], by: 'name' }],
      },
      { rules },
    );
    expect(html).toMatch(
      /<p class="note urgent" role="note"><strong>⚠ Urgent:<\/strong> 20 people work tickets<\/p>/,
    );
    expect(html).toContain('&gt; &lt;b&gt;L2&lt;/b&gt; team');
    expect(html).not.toContain('<b>L2</b>');
  });
});

describe('Markdown report', () => {
  it('has the same summary, ranking and wording as the HTML report', () => {
    const h = history();
    const md = renderMarkdown(h[2]!.stored, { rules, previous: h[1]!.stored, history: h });
    expect(md).toContain('As of 30 Jun 2026 · last 90 days · rules 1.0.0');
    expect(md).toContain('Basic in 2 of 3 layers, Managed in Processes.');
    expect(md).toContain('- **Processes** ■■■ Managed (3 of 3) (▲ 2→3 since the last snapshot)');
    expect(md).toContain('## Since 31 May 2026');
    expect(md).toContain('- Processes 2→3: knowledge freshness 58%→76% crossed 60%');
    expect(md).toMatch(
      /## Top actions\n\n1\. Raise customer SLA policies to at least 1 \(now 0\) → Offerings L2, Strategy L2, Agreements, Service proposition \(with 1 more\) \(4 levels\)\n2\. Do one of: /,
    );
    expect(md).toContain(
      '| Knowledge freshness | 76% | of 40 articles updated in 12 months | as of 30 Jun 2026 |',
    );
    expect(md).not.toMatch(/kb\.freshness|sla\.policies/);
  });
});
