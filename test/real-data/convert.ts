import { writeFileSync } from 'node:fs';
import { realLogs } from './logs.js';

/**
 * Converts one real event log into a `maturity import records` document:
 *   npx tsx test/real-data/convert.ts bpic2013|bpic2014|helpdesk OUT.json
 */
const [id, out] = process.argv.slice(2);
const log = realLogs.find((l) => l.id === id);
if (!log || !out) {
  console.error(
    `usage: npx tsx test/real-data/convert.ts ${realLogs.map((l) => l.id).join('|')} OUT.json`,
  );
  process.exit(2);
}
try {
  const doc = log.convert();
  writeFileSync(out, `${JSON.stringify(doc, null, 1)}\n`);
  const counts = Object.entries(doc).map(([kind, list]) => `${list.length} ${kind}`);
  console.log(`${log.name}: ${counts.join(', ')} → ${out}`);
} catch (err) {
  console.error(`cannot convert ${log.id}: ${(err as Error).message}`);
  process.exit(1);
}
