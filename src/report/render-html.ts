import { marked } from 'marked';
import type { SnapshotBody } from '../domain/evidence.js';
import { renderMarkdown } from './render-markdown.js';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The Markdown report as one self-contained HTML page (to mail or attach). Text from the data is
 * escaped before Markdown rendering, so nothing in a helpdesk's names can inject markup.
 */
export function renderHtml(s: SnapshotBody): string {
  // The report's own blockquotes (advice) start a line with "> "; data text never does.
  const md = escape(renderMarkdown(s)).replace(/^&gt; /gm, '> ');
  const body = marked.parse(md, { async: false, gfm: true });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Support maturity: ${escape(s.account)}</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1d2330; }
  h1 { font-size: 1.6rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #d9dde5; } h3 { margin-top: 1.8rem; }
  table { border-collapse: collapse; margin: 1rem 0; } th, td { border: 1px solid #d9dde5; padding: .3rem .6rem; text-align: left; }
  th { background: #f3f5f9; } blockquote { margin: 1rem 0; padding: .6rem 1rem; border-left: 4px solid #b3261e; background: #fdf3f2; } code { background: #f3f5f9; padding: 0 .2rem; border-radius: 3px; font-size: .9em; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}
