import { startZendeskSimulator } from '../src/simulator/index.js';

/** Runs a Zendesk simulator in its own process (so its data does not count in the syncer's memory). */
const tickets = Number(process.argv[2] ?? 10000);
const sim = await startZendeskSimulator({ profile: 'managed', tickets, seed: 1 });
process.stdout.write(
  `${JSON.stringify({ url: sim.url, credentials: sim.credentials, tickets: sim.data.tickets.length })}\n`,
);
process.on('SIGTERM', () => void sim.close().then(() => process.exit(0)));
