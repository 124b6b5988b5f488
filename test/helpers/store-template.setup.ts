import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { Store } from '../../src/store/store.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** An embedded store, migrated and closed: copied as a new home's `db` (see store-template.ts). */
    storeTemplateDir: string;
    /** The same store as a PGlite data-directory dump, loaded by each in-memory test store. */
    storeTemplateDump: string;
  }
}

/**
 * Vitest global setup: creates one migrated embedded store for the whole run. Creating a
 * database cluster takes about 2 s; the tests open several hundred fresh stores, so each starts
 * from a copy of this one instead (the migrations still run and find nothing to do).
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const root = mkdtempSync(path.join(tmpdir(), 'maturity-template-'));
  const dir = path.join(root, 'db');
  const store = await Store.open({ dir });
  await store.close();
  const lite = await PGlite.create(dir);
  const dump = await lite.dumpDataDir('none');
  await lite.close();
  const file = path.join(root, 'db.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('storeTemplateDir', dir);
  project.provide('storeTemplateDump', file);
  return () => rmSync(root, { recursive: true, force: true });
}
