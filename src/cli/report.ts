import { z } from 'zod';
import { inputError } from '../errors.js';
import { asOfProblem } from '../metrics/window.js';
import { reviewedSnapshot } from '../review/reviewed.js';
import { renderHtml } from '../report/render-html.js';
import { renderMarkdown } from '../report/render-markdown.js';
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
  // The stored snapshot judged again with the review decisions as they stand (reviewed.ts).
  const body = await reviewedSnapshot(store, accountName, {
    rules: ctx.rules(rules),
    ...(asOf !== undefined ? { asOf } : {}),
    ...(id !== undefined ? { id } : {}),
  });
  ctx.io.out(
    format === 'json'
      ? JSON.stringify(body, null, 2)
      : format === 'html'
        ? renderHtml(body)
        : renderMarkdown(body),
  );
}
