import type { SnapshotBody } from '../domain/evidence.js';
import { loadDefaultRules, type RuleSet } from '../engine/index.js';
import { detail } from '../review/html/detail.js';
import { esc } from '../review/html/escape.js';
import { firstScreen } from '../review/html/first-screen.js';
import { reviewCss } from '../review/html/styles.js';
import { reviewView, type ReviewInput, type ReviewView } from '../review/view.js';

/**
 * The report as one self-contained HTML page, to mail or attach: the review page's first screen
 * (summary, ladders, top actions), then the detail with a link from each criterion to its evidence
 * row and an inline SVG chart of each judged metric over the snapshots. No script, no external
 * reference; print CSS keeps the summary to two A4 pages. Text from the data is escaped.
 */
export function renderReportHtml(v: ReviewView): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Support maturity: ${esc(v.summary.account)}</title>
<style>${reviewCss}</style>
</head>
<body>
<main>
${firstScreen(v.summary)}
${detail(v)}
</main>
</body>
</html>
`;
}

/** The report of one snapshot, read with the given rules (default: the shipped ones). */
export function renderHtml(
  body: SnapshotBody,
  o: Omit<ReviewInput, 'body' | 'rules'> & { rules?: RuleSet } = {},
): string {
  return renderReportHtml(reviewView({ ...o, body, rules: o.rules ?? loadDefaultRules() }));
}
