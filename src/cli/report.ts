import { z } from 'zod';
import { MaturityError } from '../errors.js';
import { renderHtml } from '../report/render-html.js';
import { renderMarkdown } from '../report/render-markdown.js';
import type { CliContext } from './context.js';
import { oneOf, parseFlags } from './flags.js';

export const ReportFlags = z.object({
  format: oneOf(['md', 'json', 'html']).default('md'),
});
export type ReportFlags = z.infer<typeof ReportFlags>;

export async function reportCommand(
  ctx: CliContext,
  accountName: string,
  rawFlags: unknown,
): Promise<void> {
  const { format } = parseFlags(ReportFlags, rawFlags);
  const store = await ctx.openStore();
  const account = await store.getAccount(accountName);
  const body = await store.latestSnapshot(account.id);
  if (!body) {
    throw new MaturityError(
      'E_NO_SNAPSHOT',
      `account "${accountName}" has no snapshot yet (take one with: maturity snapshot ${accountName})`,
    );
  }
  ctx.io.out(
    format === 'json'
      ? JSON.stringify(body, null, 2)
      : format === 'html'
        ? renderHtml(body)
        : renderMarkdown(body),
  );
}
