import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** The repository's ESLint config, this one rule only, on a file that is not on disk. */
async function restrictedImports(code: string, file = 'connectors/acme/streams/tickets.ts') {
  const eslint = new ESLint({
    cwd: root,
    // Type-aware rules need the file in a TypeScript project; only the import rule is at stake.
    overrideConfig: {
      languageOptions: { parserOptions: { project: null, projectService: false } },
    },
    ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.map((m) => `${m.line}: ${m.ruleId}`);
}

describe('the import rule for connectors (eslint.config.js)', () => {
  it('fails a connector that imports the store, even for types only', async () => {
    expect(
      await restrictedImports(
        [
          "import { Store } from '../../../src/store/store.js';",
          "import type { Account } from '../../../src/store/store.js';",
          "export { storeSyncSink } from '../../../src/store/sync-sink.js';",
          'export const x = [Store];',
          'export type A = Account;',
        ].join('\n'),
      ),
    ).toEqual(['1: no-restricted-imports', '2: no-restricted-imports', '3: no-restricted-imports']);
  });

  it('fails a connector that imports any other part of src', async () => {
    expect(
      await restrictedImports(
        "import { syncAccount } from '../../src/jobs/sync-account.js';\nexport const s = syncAccount;",
        'connectors/acme/client.ts',
      ),
    ).toEqual(['1: no-restricted-imports']);
  });

  it('lets a connector import the domain and the error catalogue', async () => {
    expect(
      await restrictedImports(
        [
          "import { Ticket } from '../../../src/domain/records.js';",
          "import type { FieldCoverage } from '../../../src/domain/fields.js';",
          "import { MaturityError } from '../../../src/errors.js';",
          'export const x = [Ticket, MaturityError];',
          'export type F = FieldCoverage;',
        ].join('\n'),
      ),
    ).toEqual([]);
  });

  it('leaves code outside connectors/ alone', async () => {
    expect(
      await restrictedImports(
        "import { Store } from '../store/store.js';\nexport const s = Store;",
        'src/jobs/example.ts',
      ),
    ).toEqual([]);
  });
});
