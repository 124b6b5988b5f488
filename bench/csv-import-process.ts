import { csvImportChild } from './csv-import.js';

/** One CSV import in a process of its own (bench/csv-import.ts): argv = file [DATABASE_URL]. */
await csvImportChild(process.argv[2]!, process.argv[3]);
