import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { structuredTeam } from './fixtures/organisations.js';
import { cliHome } from './helpers/cli.js';

// Every CLI run opens the embedded store in-process: a few seconds each on a busy machine.
describe('report reads the snapshots before the one shown', { timeout: 300_000 }, () => {
  it('gives the change since the previous snapshot, the history and charts with decision markers', async () => {
    const cli = cliHome({}, { keepOpen: true });
    const ok = async (...args: string[]) => {
      const r = await cli.run(...args);
      expect(r.err, args.join(' ')).toBe('');
      expect(r.code).toBe(0);
      return r.out;
    };
    const file = path.join(cli.home, 'org.json');
    writeFileSync(file, JSON.stringify(structuredTeam()));
    await ok('import', 'records', file, '--name', 'org');
    await ok('snapshot', 'org', '--as-of', '2026-05-31');
    await ok('snapshot', 'org', '--as-of', '2026-06-30');
    await ok('dispute', 'org', 'sla-policy-defined', '--by', 'Eve', '--reason', 'placeholder');

    const html = await ok('report', 'org', '--format', 'html');
    expect(html).toContain('Since 31 May 2026');
    const history = html.slice(html.indexOf('id="history-title"'));
    expect(history.match(/<li>\s*<strong>\d+ \w+ 2026<\/strong>/g)).toHaveLength(2);
    // The customer SLA policies over both snapshots, with Eve's dispute marked on the chart.
    const row = html.slice(html.indexOf('id="m-sla-policies-count"'));
    const svg = row.slice(row.indexOf('<svg'), row.indexOf('</svg>'));
    expect(svg).toMatch(/Customer SLA policies over 2 snapshots/);
    expect(svg).toMatch(
      /<line class="marker decision"[^>]*><title>\d+ \w+ 2026: dispute by Eve<\/title>/,
    );
    expect(html).toContain('⚑ disputed');

    // The first snapshot by id: nothing before it.
    const md = await ok('report', 'org', '--id', '1');
    expect(md).toContain('As of 31 May 2026');
    expect(md).toContain('First snapshot of this account: nothing to compare yet.');
    expect(md).not.toMatch(/\b[a-z]+\.[a-z_]+\.(count|median)\b/);
  });

  it('says when the window holds none of the tickets, all older or all newer, and how to judge them', async () => {
    const cli = cliHome({}, { keepOpen: true });
    const file = path.join(cli.home, 'org.json');
    const org = structuredTeam();
    writeFileSync(file, JSON.stringify(org));
    expect((await cli.run('import', 'records', file, '--name', 'old')).code).toBe(0);
    const created = org.tickets.map((t) => t.createdAt).sort();
    const last = created[created.length - 1]!.slice(0, 10);

    // Judged months after its last ticket: a helpdesk without tickets, unless the reader is told.
    const late = await cli.run('snapshot', 'old', '--as-of', '2026-11-30');
    expect(late.code).toBe(0);
    expect(late.err).toBe(
      `snapshot: none of the ${created.length} tickets of old falls in the window (they were created ${created[0]!.slice(0, 10)} to ${last}); to judge them: maturity snapshot old --as-of ${last}\n`,
    );
    expect(late.out).toMatch(
      new RegExp(
        `\\*\\*⚠ None of the ${created.length.toLocaleString('en-US')} tickets stored falls in this window`,
      ),
    );
    // Its first action is to judge them, not to create tickets.
    expect(late.out).toMatch(/\n1\. Judge the stored tickets as of \d+ \w+ 2026: none of the/);
    expect(late.out).not.toContain('Raise tickets created');
    const html = (await cli.run('report', 'old', '--format', 'html')).out;
    expect(html).toMatch(/<p class="note urgent" role="note">⚠ None of the [\d,]+ tickets stored/);

    // The command it gives judges them, with no such note.
    const judged = await cli.run('snapshot', 'old', '--as-of', last);
    expect(judged.err).toBe('');
    expect(judged.out).not.toContain('None of the');

    // As of a day before the first ticket, a window with none of them, all newer: the same.
    const first = created[0]!.slice(0, 10);
    const before = new Date(Date.parse(first) - 86_400_000).toISOString().slice(0, 10);
    const early = await cli.run('snapshot', 'old', '--as-of', before, '--window', '1d');
    expect(early.code).toBe(0);
    expect(early.err).toBe(
      `snapshot: none of the ${created.length} tickets of old falls in the window (they were created ${first} to ${last}); to judge them: maturity snapshot old --as-of ${last} --window 1d\n`,
    );
    expect(early.out).toMatch(
      new RegExp(
        `\\*\\*⚠ None of the ${created.length.toLocaleString('en-US')} tickets stored falls in this window: they were created from [^*]+, after it, so`,
      ),
    );
    expect(early.out).toMatch(/\n1\. Judge the stored tickets as of \d+ \w+ 2026: none of the/);
    expect(early.out).not.toContain('Raise tickets created');
  });
});
