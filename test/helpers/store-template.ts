import { cpSync, readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { Store } from '../../src/store/store.js';

let dump: Blob | undefined;

/**
 * A fresh, empty in-memory store (PGlite), started from the run's migrated template
 * (store-template.setup.ts) rather than from a new database cluster.
 */
export function memoryStore(): Promise<Store> {
  dump ??= new Blob([readFileSync(inject('storeTemplateDump'))]);
  return Store.open({ memoryFrom: dump });
}

/** Puts a copy of the run's migrated, empty embedded store at `dir` (a new home's `db`). */
export function seedStoreDir(dir: string): void {
  cpSync(inject('storeTemplateDir'), dir, { recursive: true });
}
