import { z } from 'zod';
import { inputError } from '../errors.js';
import { asOfProblem } from '../metrics/window.js';
import { loadReview } from '../review/load.js';
import { reviewedSnapshot } from '../review/reviewed.js';
import { renderReportHtml } from '../report/render-html.js';
import { renderReportMarkdown } from '../report/render-markdown.js';
import type { CliContext } from './context.js';
import { checkedString, oneOf, parseFlags, wholeNumber } from './flags.js';

export const ReportFlags = z.object({
  format: oneOf(['md', 'json', 'html']).default('md'),
  /** The latest snapshot as of this date (default: the latest of all). */
  asOf: checkedString(asOfProblem).optional(),
  /** A snapshot by its id (`reviewed.snapshotId` in the JSON). */
  id: wholeNumber(1, 2147483647).optional(),
  /** The rules to judge with (default: the shipped rules/), as `snapshot --rules`. */
  rules: z.string().optional(),
});
export type ReportFlags = z.infer<typeof ReportFlags>;

export async function reportCommand(
  ctx: CliContext,
  accountName: string,
  rawFlags: unknown,
): Promise<void> {
  const { format, asOf, id, rules } = parseFlags(ReportFlags, rawFlags);
  if (asOf !== undefined && id !== undefined)
    throw inputError('give --as-of or --id, not both: each picks one snapshot');
  const store = await ctx.openStore();
  const pick = {
    rules: ctx.rules(rules),
    ...(asOf !== undefined ? { asOf } : {}),
    ...(id !== undefined ? { id } : {}),
  };
  // The stored snapshot judged again with the review decisions as they stand (reviewed.ts).
  if (format === 'json') {
    ctx.io.out(JSON.stringify(await reviewedSnapshot(store, accountName, pick), null, 2));
    return;
  }
  // The reports also read the snapshots before it: the change, the history, the charts (load.ts).
  const { view } = await loadReview(store, accountName, pick);
  ctx.io.out(format === 'html' ? renderReportHtml(view) : renderReportMarkdown(view));
}
