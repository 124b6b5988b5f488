/**
 * The review's CSS, shared by the report and the page. Status is never told by colour alone: every
 * status has its symbol and word, and the colours only repeat them. Narrow screens (390 px) stack
 * everything in one column with no horizontal scroll; print fits the summary on two A4 pages and
 * starts the detail on a page of its own.
 */
export const reviewCss = `
:root { --ink: #1d2330; --muted: #5b6475; --line: #d9dde5; --soft: #f3f5f9; --ok: #1b6e3a; --bad: #a3261d; --warn: #8a5a00; --accent: #2d4fa3; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, sans-serif; color: var(--ink); margin: 0; }
main { max-width: 64rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.15rem; margin: 1.25rem 0 .4rem; } h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
p, li, dd, td, th { overflow-wrap: anywhere; }
a { color: var(--accent); }
.meta { color: var(--muted); margin: 0 0 .5rem; }
.note { border-left: 4px solid var(--warn); background: #fdf7ea; padding: .4rem .7rem; margin: .5rem 0; }
.note.urgent { border-color: var(--bad); background: #fdf3f2; }
.first { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0 2rem; }
.models { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0 1.5rem; }
.model h2 { margin-bottom: .15rem; }
.sentence { margin: 0 0 .4rem; }
.ladders { list-style: none; margin: 0; padding: 0; }
.ladder { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 .6rem; padding: .1rem 0; border-top: 1px solid var(--line); }
.ladder .layer { flex: 0 0 10rem; font-weight: 600; color: var(--ink); text-decoration: none; }
.ladder .layer:hover, .ladder .layer:focus { text-decoration: underline; }
.ladder .steps { font-family: ui-monospace, monospace; letter-spacing: .1em; white-space: nowrap; }
.ladder .words { flex: 1 1 14rem; min-width: 0; }
.step.proven { color: var(--ok); } .step.possible { color: var(--warn); } .step.open { color: var(--muted); }
.change-mark, .tag { display: inline-block; font-size: .85em; border: 1px solid var(--line); border-radius: 3px; padding: 0 .3rem; background: var(--soft); }
.tag.borderline { border-color: var(--warn); } .tag.disputed { border-color: var(--bad); } .tag.stale { border-color: var(--bad); }
.override { flex-basis: 100%; color: var(--muted); font-size: .92em; }
.actions ol, .change ul { margin: .2rem 0; padding-left: 1.4rem; }
.actions li { margin: .15rem 0; }
.actions .targets { color: var(--muted); }
.status { font-weight: 600; white-space: nowrap; }
.status.met { color: var(--ok); } .status.unmet { color: var(--bad); } .status.unknown { color: var(--warn); }
.criterion { border-top: 1px solid var(--line); padding: .5rem 0; }
.criterion .statement { margin: .1rem 0; font-weight: 600; }
.criterion .why { color: var(--muted); margin: .2rem 0; }
.criterion ul { margin: .2rem 0; padding-left: 1.2rem; }
.evidence-row { border-top: 1px solid var(--line); padding: .5rem 0; display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 20rem); gap: .2rem 1rem; }
.evidence-row .figures { margin: 0; }
.evidence-row dt { font-weight: 600; }
.evidence-row dd { margin: 0 0 .2rem; }
.chart { width: 100%; max-width: 20rem; height: auto; }
.chart .axis { stroke: var(--muted); stroke-width: 1; }
.chart .line { fill: none; stroke: var(--accent); stroke-width: 2; }
.chart .point { fill: var(--accent); }
.chart .whisker { stroke: var(--accent); stroke-opacity: .45; stroke-width: 1; }
.chart .threshold { stroke: var(--bad); stroke-width: 1.2; }
.chart .marker { stroke: var(--ink); stroke-width: 1.2; }
.chart .tick { font-size: 9px; fill: var(--muted); }
.chart .threshold-label { fill: var(--bad); }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--soft); }
.history li { margin: .3rem 0; }
@media (min-width: 60rem) {
  main { max-width: 80rem; }
  .first { grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); }
  .summary { font-size: 14px; line-height: 1.4; }
  .summary h2 { margin-top: .7rem; }
}
@media (max-width: 40rem) {
  .ladder .layer { flex-basis: 100%; }
  .evidence-row { grid-template-columns: minmax(0, 1fr); }
  table, thead, tbody, tr, th, td { display: block; } thead { display: none; } td { border: 0; padding: .1rem 0; } tr { border-top: 1px solid var(--line); padding: .3rem 0; }
}
@page { size: A4; margin: 12mm; }
@media print {
  body { font-size: 9.5pt; line-height: 1.35; }
  main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  h1 { font-size: 14pt; } h2 { font-size: 11pt; margin: .6rem 0 .2rem; }
  .first { grid-template-columns: minmax(0, 1fr); }
  .models { grid-template-columns: 1fr 1fr; }
  .ladder { padding: .05rem 0; break-inside: avoid; }
  .ladder .layer { flex-basis: 7.5rem; }
  .detail { break-before: page; }
  .criterion, .evidence-row { break-inside: avoid; }
}
`;
