import { Command, CommanderError } from 'commander';
import { MaturityError, errorPolicy } from '../errors.js';
import { addConnectCommand } from './connect.js';
import type { CliContext, CliDeps } from './context.js';
import { processIo, type Io } from './io.js';

/** Runs the CLI; returns the exit code. Streams and env come in as parameters for tests. */
export async function main(
  argv: string[],
  io: Io = processIo,
  env: Record<string, string | undefined> = process.env,
  /** Tests only (see CliDeps). */
  deps: CliDeps = {},
): Promise<number> {
  // Command modules (and the store, queue and HTTP libraries behind them) load on first use, so
  // `maturity --help` and quick commands start fast.
  let ctx: CliContext | undefined;
  const context = async () =>
    (ctx ??= new (await import('./context.js')).CliContext(io, env, argv.slice(2), deps));
  const program = new Command('maturity')
    .description('Infers how mature a support organisation is from its helpdesk data.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showSuggestionAfterError();

  program
    .command('demo')
    .description(
      'start the built-in Zendesk simulator, connect and sync through the real connector, snapshot and print the report',
    )
    .option('--profile <name>', 'bootstrap | structured | managed | holistic', 'managed')
    .option('--tickets <n>', 'number of tickets to generate', '5000')
    .option('--json', 'print the snapshot as JSON')
    .option(
      '--rate-limit <n>',
      'simulate rate limiting: a 429 after n requests per endpoint family',
    )
    .option(
      '--faults <share>',
      'share of requests answered with a fault (5xx, reset, truncated body)',
    )
    .option('--seed <n>', 'seed of the organisation and the faults', '42')
    .action(async (flags) => (await import('./demo.js')).demoCommand(await context(), flags));

  await addConnectCommand(program, { context, argv, env });

  const imp = program.command('import').description('load data from files');
  imp
    .command('records <file>')
    .description(
      'load normalised records (JSON: {"tickets": [...], "slaPolicies": [...], ...}); all or nothing',
    )
    .requiredOption('--name <account>', 'account to load into (created if new)')
    .option(
      '--group-roles <file>',
      'map groups to support roles (see: maturity accounts group-roles)',
    )
    .action(async (file, flags) =>
      (await import('./import-records.js')).importRecordsCommand(await context(), file, flags),
    );
  imp
    .command('servicenow-incidents <file>')
    .description(
      'load a ServiceNow incident export (CSV, or .csv.gz); event logs keep the latest row per number',
    )
    .requiredOption('--name <account>', 'account to load into (created if new)')
    .option('--date-format <order>', 'dmy or mdy (default: detected from the data)')
    .option(
      '--group-roles <file>',
      'map groups to support roles (see: maturity accounts group-roles)',
    )
    .action(async (file, flags) =>
      (await import('./import-servicenow-incidents.js')).importServiceNowIncidentsCommand(
        await context(),
        file,
        flags,
      ),
    );

  program
    .command('sync <account>')
    .description(
      'pull new and changed records from the helpdesk (resumes where the last sync stopped)',
    )
    .action(async (account) => (await import('./sync.js')).syncCommand(await context(), account));

  program
    .command('snapshot <account>')
    .description(
      'compute evidence metrics and suggested levels from stored records, and store the snapshot',
    )
    .option('--as-of <date>', 'judge as of this date (YYYY-MM-DD or ISO date-time); default now')
    .option('--window <spec>', 'evidence window: 90d, 6m or all', '90d')
    .option('--rules <dir>', 'rules directory (default: the shipped rules/)')
    .option('--json', 'print the snapshot as JSON')
    .option('--no-sync', 'judge the records already stored, without syncing first')
    .option('--no-wait', 'with REDIS_URL: print the queued job id and return at once')
    .option(
      '--timeout <seconds>',
      'with REDIS_URL: how long to wait for the workers (default 6 h: a nightly run is done by morning)',
      '21600',
    )
    .action(async (account, flags) =>
      (await import('./snapshot.js')).snapshotCommand(await context(), account, flags),
    );

  program
    .command('worker')
    .description(
      'run BullMQ workers for syncs, metrics, evaluations and nightly schedules (needs REDIS_URL and DATABASE_URL)',
    )
    .option('--concurrency <n>', 'sync jobs in parallel in this process', '4')
    .option(
      '--lock-ms <ms>',
      "job lock period: how soon a killed worker's job moves to another worker",
    )
    .action(async (flags) => (await import('./worker.js')).workerCommand(await context(), flags));

  program
    .command('schedule [account]')
    .description('set, remove or list nightly snapshot schedules (BullMQ job schedulers)')
    .option('--cron <expr>', 'cron expression', '0 2 * * *')
    .option('--tz <zone>', 'IANA time zone', 'UTC')
    .option('--remove', "turn the account's schedule off")
    .option('--list', 'list every schedule with its next run')
    .option('--json', 'with --list: print JSON')
    .action(async (account, flags) =>
      (await import('./schedule.js')).scheduleCommand(await context(), account, flags),
    );

  program
    .command('report <account>')
    .description(
      "print the account's latest snapshot (or another one), with the review decisions as they stand",
    )
    .option('--format <format>', 'md | json | html', 'md')
    .option('--as-of <date>', 'the latest snapshot as of this date')
    .option('--id <n>', 'the snapshot with this id')
    .option('--rules <dir>', 'rules directory to judge with (default: the shipped rules/)')
    .action(async (account, flags) =>
      (await import('./report.js')).reportCommand(await context(), account, flags),
    );

  // Review decisions (src/review/decisions.ts): the same checks as the API's.
  const by = ['--by <name>', 'who decides, else $USER'];
  const attest = program
    .command('attest')
    .argument('<account>')
    .argument('<criterion>', 'criterion id (or model/criterion)')
    .description(
      'record that a criterion the data cannot show is in place (or, with --not-in-place, that it is not); also: attest list',
    )
    .option('--reason <text>', 'why (required); kept in the audit trail')
    .option(
      '--expires <date>',
      "when it lapses: in the future, at most the rule's validity (default: that, usually 365 days)",
    )
    .option('--since <date>', 'the date it became true (counts in snapshots as of then on)')
    .option('--evidence <url>', 'a link to the evidence (http or https)')
    .option('--not-in-place', 'attest that it is NOT in place')
    .option('--model <id>', 'ftworks | support-model | engagement (default: the one with it)')
    .option(by[0]!, by[1], env.USER)
    .action(async (account, criterion, flags) =>
      (await import('./attest.js')).attestCommand(await context(), account, criterion, flags),
    );
  attest
    .command('list <account>')
    .description('list the decisions of every kind, with their ids and state')
    .option('--all', 'include revoked decisions and the revokes')
    .option('--json', 'print as JSON')
    .action(async (account, flags) =>
      (await import('./attest.js')).attestListCommand(await context(), account, flags),
    );
  program
    .command('dispute <account> <criterion>')
    .description(
      'say the data is wrong about a criterion (by default: it is NOT in place); it shows as disputed',
    )
    .option('--reason <text>', 'why (required)')
    .option('--in-place', 'the criterion IS in place, though the data shows it unmet')
    .option('--expires <date>', "when it lapses (default: the rule's validity)")
    .option('--evidence <url>', 'a link to the evidence (http or https)')
    .option('--model <id>', "the criterion's model (default: the one with it)")
    .option(by[0]!, by[1], env.USER)
    .action(async (account, criterion, flags) =>
      (await import('./dispute.js')).disputeCommand(await context(), account, criterion, flags),
    );
  program
    .command('exempt <account> [criterion]')
    .description(
      'mark a criterion (or, with --model and no criterion, a whole model) not applicable here',
    )
    .option('--reason <text>', 'why (required)')
    .option('--expires <date>', 'when to look again (required; at most two years ahead)')
    .option('--model <id>', "the model to exempt whole, or the criterion's model")
    .option(by[0]!, by[1], env.USER)
    .action(async (account, criterion, flags) =>
      (await import('./exempt.js')).exemptCommand(await context(), account, criterion, flags),
    );
  program
    .command('override <account> <layer>')
    .description(
      "decide a layer's level (layer as model/layer or its id); shown beside the suggested level, stale when the evidence changes",
    )
    .option('--level <n>', 'the level decided (0 to the top level of the model)')
    .option('--reason <text>', 'why (required)')
    .option('--expires <date>', 'when it lapses (optional; at most two years ahead)')
    .option('--model <id>', "the layer's model (default: the one with it)")
    .option(by[0]!, by[1], env.USER)
    .action(async (account, layer, flags) =>
      (await import('./override.js')).overrideCommand(await context(), account, layer, flags),
    );
  program
    .command('revoke <account> <decision-id>')
    .description(
      'take back a decision of any kind (see: maturity attest list); both stay in the trail',
    )
    .option('--reason <text>', 'why (required)')
    .option(by[0]!, by[1], env.USER)
    .action(async (account, id, flags) =>
      (await import('./revoke.js')).revokeCommand(await context(), account, id, flags),
    );
  const review = program.command('review').description('what awaits a decision');
  review
    .command('pending <account>')
    .description('the criteria awaiting a decision (unknown and not exempt), most useful first')
    .option('--json', 'print as JSON')
    .action(async (account, flags) =>
      (await import('./review.js')).reviewPendingCommand(await context(), account, flags),
    );
  program
    .command('audit [account]')
    .description(
      'the audit trail of decisions (who, when, what, why, which token); every account without one',
    )
    .option('--csv', 'print it as CSV')
    .action(async (account, flags) =>
      (await import('./audit.js')).auditCommand(await context(), account, flags),
    );

  const rules = program.command('rules').description('the maturity model files');
  rules
    .command('check [dir]')
    .description('validate a rules directory (default: the shipped rules/)')
    .action(async (dir) =>
      (await import('./rules-check.js')).rulesCheckCommand(await context(), dir),
    );

  const accounts = program.command('accounts').description('connected and imported accounts');
  accounts
    .command('list')
    .option('--json', 'print as JSON')
    .action(async (flags) =>
      (await import('./accounts.js')).accountsListCommand(await context(), flags),
    );
  accounts
    .command('show <account>')
    .option('--json', 'print as JSON')
    .description(
      'settings, status (and any error needing attention), record counts, last sync and snapshot',
    )
    .action(async (name, flags) =>
      (await import('./accounts.js')).accountsShowCommand(await context(), name, flags),
    );
  accounts
    .command('remove <account>')
    .description(
      'delete the account with its records, snapshots and schedule (other accounts untouched)',
    )
    .action(async (name) =>
      (await import('./accounts.js')).accountsRemoveCommand(await context(), name),
    );
  accounts
    .command('group-roles <account> [file]')
    .description(
      'map groups to support roles (YAML or JSON: "group name or id": [tier1|tier2|tier3|tier4|product|specialist|ops|escalation|success|partner] or none); used where names say nothing',
    )
    .option('--clear', 'remove the mapping')
    .action(async (name, file, flags) =>
      (await import('./group-roles.js')).groupRolesCommand(await context(), name, file, flags),
    );
  accounts
    .command('rotate-key')
    .description(
      're-seal stored credentials under MATURITY_SECRET (old key from MATURITY_SECRET_PREVIOUS)',
    )
    .action(async () =>
      (await import('./accounts.js')).accountsRotateKeyCommand(await context(), env),
    );

  program
    .command('serve')
    .description(
      'serve the HTTP API (/api/v1, OpenAPI at /api/v1/openapi.json) until SIGINT or SIGTERM',
    )
    .option('--port <n>', 'port to listen on (default: PORT, else 8080)')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option(
      '--insecure-local',
      'serve without tokens while none is configured (loopback --host only)',
    )
    .option(
      '--allow-private-addresses',
      'let accounts connected through the API name private and loopback hosts (also MATURITY_ALLOW_PRIVATE_ADDRESSES=true)',
    )
    .action(async (flags) => (await import('./serve.js')).serveCommand(await context(), flags));

  const tokens = program
    .command('tokens')
    .description('API tokens for maturity serve (named, each with a role; stored hashed)');
  tokens
    .command('create <name>')
    .description('create a token and print it once; its name is the actor in the audit trail')
    .requiredOption(
      '--role <role>',
      'viewer (read) | reviewer (and decide) | admin (and accounts, tokens, schedules, snapshots, queue)',
    )
    .action(async (name, flags) =>
      (await import('./tokens.js')).tokensCreateCommand(await context(), name, flags),
    );
  tokens
    .command('list')
    .option('--json', 'print as JSON')
    .option('--all', 'revoked tokens too')
    .action(async (flags) =>
      (await import('./tokens.js')).tokensListCommand(await context(), flags),
    );
  tokens
    .command('revoke <name>')
    .description('refuse the token from now on (its row stays for the audit trail)')
    .action(async (name) =>
      (await import('./tokens.js')).tokensRevokeCommand(await context(), name),
    );

  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has already printed its one-line message (or the help text).
      return err.exitCode === 0 ||
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version'
        ? 0
        : 2;
    }
    if (err instanceof MaturityError) {
      io.err(`maturity: ${err.message}`);
      return errorPolicy(err.code).exit;
    }
    io.err(`maturity: unexpected error: ${(err as Error).message ?? String(err)}`);
    if (env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace')
      io.err(String((err as Error).stack));
    return 1;
  } finally {
    await ctx?.close();
  }
}
