import { MaturityError, inputError } from '../errors.js';
import { renderHtml } from '../report/render-html.js';
import { renderMarkdown } from '../report/render-markdown.js';
import type { CliContext } from './context.js';

export async function reportCommand(
  ctx: CliContext,
  accountName: string,
  flags: { format?: string },
): Promise<void> {
  const format = flags.format ?? 'md';
  if (format !== 'md' && format !== 'json' && format !== 'html')
    throw inputError(`--format must be md, json or html (got "${format}")`);
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
