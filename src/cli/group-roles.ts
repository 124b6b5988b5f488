import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { decodeUtf8, describeUtf8Problem, readProblem } from '../domain/text.js';
import { aliasMessage, MAX_ALIAS_COUNT } from '../engine/load-rules.js';
import { inputError, zodSentence } from '../errors.js';
import { GroupRolesMapping } from '../metrics/index.js';
import { groupRoles } from '../metrics/group-roles.js';
import type { Store } from '../store/store.js';
import type { CliContext } from './context.js';
import { parseFlags } from './flags.js';

export const GroupRolesFlags = z.object({
  /** Remove the mapping (instead of giving a FILE). */
  clear: z.boolean().default(false),
});
export type GroupRolesFlags = z.infer<typeof GroupRolesFlags>;

/**
 * Reads a group-roles file (YAML or JSON): group name or id → a list of roles, or "none".
 *   "Group 70": [tier1]
 *   "Acme BPO": [partner, tier1]
 *   "Group 12": none
 */
export function readGroupRoles(file: string): GroupRolesMapping {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw inputError(`cannot read ${file}: ${readProblem(err)}`);
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok)
    throw inputError(
      `${file}: not UTF-8 text at ${describeUtf8Problem(decoded.problem)}; save it as UTF-8`,
    );
  let doc: unknown;
  try {
    doc = parse(decoded.text, { maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const m = (err as Error).message.split('\n')[0]!;
    throw inputError(
      /alias/i.test(m) ? `${file}: ${aliasMessage(err)}` : `${file}: not valid YAML or JSON (${m})`,
    );
  }
  const r = GroupRolesMapping.safeParse(doc ?? {});
  if (!r.success) {
    const sentence = zodSentence(r.error, {
      top: 'the file',
      label: (p) => `group "${String(p[0])}"`,
    });
    throw inputError(`${file}: ${sentence} (roles: ${groupRoles.join(', ')}, or "none")`);
  }
  return r.data;
}

/** Stores the mapping on the account (replacing any earlier one); the next snapshot uses it. */
export async function setGroupRoles(
  store: Store,
  accountId: number,
  mapping: GroupRolesMapping | undefined,
): Promise<void> {
  await store.setAccountSetting(accountId, 'groupRoles', mapping);
}

/** `maturity accounts group-roles ACCOUNT [FILE] [--clear]` */
export async function groupRolesCommand(
  ctx: CliContext,
  name: string,
  file: string | undefined,
  rawFlags: unknown,
): Promise<void> {
  const flags = parseFlags(GroupRolesFlags, rawFlags);
  if (!file && !flags.clear) throw inputError('give a group-roles FILE, or --clear to remove it');
  if (file && flags.clear) throw inputError('give either a FILE or --clear, not both');
  const mapping = file ? readGroupRoles(file) : undefined;
  const store = await ctx.openStore();
  const account = await store.getAccount(name);
  await setGroupRoles(store, account.id, mapping);
  ctx.io.out(
    mapping
      ? `group roles of "${name}": ${Object.keys(mapping).length} groups mapped; the next snapshot uses them`
      : `group roles of "${name}" removed; groups are read from their names again`,
  );
}
