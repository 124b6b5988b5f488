import { z } from 'zod';
import { connectors, loadConnectors, type AnyConnector } from '../../../connectors/index.js';
import type { AddressPolicy } from '../../../connectors/shared/check-address.js';
import { apiWording } from '../../../connectors/shared/connector-cli.js';
import { connectAccount } from '../../jobs/connect-account.js';
import { QUEUES, checkRedis, closeQuietly, queue } from '../../jobs/queues.js';
import { ensureDefaultSchedule, schedulerId } from '../../jobs/schedules.js';
import type { Account, Store } from '../../store/store.js';
import { API, addressPolicy, type ServerContext, type ZodApp } from '../context.js';
import { conflict, problems } from '../problem.js';
import {
  AccountDetail,
  AccountName,
  AccountParams,
  AccountSummary,
  SnapshotEntry,
} from '../schemas.js';

const iso = (d: Date | string) => new Date(d).toISOString();

const entryOf = (s: { id: number; asOf: Date; window: string; rulesVersion: string }) => ({
  id: s.id,
  asOf: iso(s.asOf),
  window: s.window,
  rulesVersion: s.rulesVersion,
});

async function summaryOf(store: Store, a: Account): Promise<z.output<typeof AccountSummary>> {
  const latest = (await store.listSnapshots(a.id)).at(-1);
  return {
    name: a.name,
    connector: a.connector,
    status: a.status,
    statusDetail: a.statusDetail,
    needsAttention: a.status === 'needs-attention',
    createdAt: iso(a.createdAt),
    latestSnapshot: latest ? entryOf(latest) : null,
  };
}

/**
 * The body of a connect: one shape per connector of the registry, its settings and credentials
 * checked by the connector's own schemas under the server's address policy, so a refused
 * address is a 400 naming `settings.baseUrl` (and the OpenAPI document shows each connector's
 * fields).
 */
function connectBody(loaded: AnyConnector[], policy: AddressPolicy) {
  const options = loaded.map((c) =>
    z.strictObject({
      name: AccountName,
      connector: z.literal(c.id),
      settings: c.configSchemaFor(policy).describe(`The ${c.id} settings (stored in clear)`),
      credentials: c.secretSchema.describe('Stored encrypted; never returned'),
      update: z
        .boolean()
        .default(false)
        .describe('Replace the settings and credentials of an existing account'),
    }),
  );
  return z.discriminatedUnion(
    'connector',
    options as unknown as [(typeof options)[number], ...(typeof options)[number][]],
  );
}

/** Accounts: list, show, connect (with a connection test), remove. */
export async function accountRoutes(app: ZodApp, ctx: ServerContext): Promise<void> {
  const { store } = ctx;
  const policy = addressPolicy(ctx);
  const loaded = await loadConnectors(connectors);
  const clis = new Map(
    await Promise.all(connectors.map(async (c) => [c.id, (await c.cli()).cli] as const)),
  );

  app.get(
    `${API}/accounts`,
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['accounts'],
        summary: 'Every account with its status and latest snapshot',
        response: { 200: z.array(AccountSummary), ...problems() },
      },
    },
    async () => Promise.all((await store.listAccounts()).map((a) => summaryOf(store, a))),
  );

  app.get(
    `${API}/accounts/:account`,
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['accounts'],
        summary: 'One account: status (and any error needing attention), records, syncs, schedule',
        params: AccountParams,
        response: { 200: AccountDetail, ...problems(404) },
      },
    },
    async (request) => {
      const a = await store.getAccount(request.params.account);
      const [counts, streams, quarantined, snaps, sched, secret] = await Promise.all([
        store.countRecords(a.id),
        store.streamsSynced(a.id),
        store.countQuarantined(a.id),
        store.listSnapshots(a.id),
        store.schedule(a.id),
        store.accountSecret(a.id),
      ]);
      return {
        ...(await summaryOf(store, a)),
        settings: a.config,
        credentials: secret ? ('stored (encrypted)' as const) : ('none' as const),
        records: counts,
        quarantined,
        lastSync: Object.fromEntries(streams.map((s) => [s.stream, iso(s.updatedAt)])),
        snapshots: snaps.length,
        schedule: sched ?? null,
      };
    },
  );

  app.post(
    `${API}/accounts`,
    {
      // The connector's schemas parse the settings again when storing: from what was sent.
      config: {
        access: 'admin',
        rawBody: true,
        // The connectors word their messages for `maturity connect` ("check --api-key"): here
        // each flag is a field of this request (credentials.apiKey).
        reword: (request, message) => {
          const id = (request.body as { connector?: unknown } | undefined)?.connector;
          const cli = typeof id === 'string' ? clis.get(id) : undefined;
          return cli ? apiWording(message, cli) : message;
        },
      },
      schema: {
        tags: ['accounts'],
        summary:
          'Connect a helpdesk account: the credentials are checked with one call before anything is stored',
        description:
          'Private and loopback hosts are refused unless the server runs with --allow-private-addresses; link-local and cloud metadata addresses always are.',
        body: connectBody(loaded, policy),
        response: {
          201: z
            .object({
              name: z.string(),
              connector: z.string(),
              identity: z.string().describe('Who the credentials connect as'),
              schedule: z
                .object({ cron: z.string(), tz: z.string() })
                .optional()
                .describe('The nightly schedule it got (queued mode)'),
            })
            .meta({ id: 'Connected' }),
          ...problems(409, 422, 502, 503),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const raw = request.rawBody as { settings: unknown; credentials: unknown };
      const connector = loaded.find((c) => c.id === body.connector)!;
      const existing = await store.findAccount(body.name);
      if (existing && !body.update)
        throw conflict(
          `account "${body.name}" exists already; send "update": true to change its settings or credentials`,
        );
      const { account, identity } = await connectAccount(store, connector, {
        name: body.name,
        config: raw.settings,
        secret: raw.credentials,
        box: ctx.box,
        ...(body.update ? { update: true } : {}),
        addresses: policy,
        // What a host name resolves to is checked against the same policy when connecting.
        clientOptions: { ...ctx.clientOptions, addresses: policy },
      });
      const schedule = ctx.queue
        ? await ensureDefaultSchedule(store, ctx.queue, account.name)
        : undefined;
      return reply.code(201).send({
        name: account.name,
        connector: account.connector,
        identity,
        ...(schedule ? { schedule: { cron: schedule.cron, tz: schedule.tz } } : {}),
      });
    },
  );

  app.delete(
    `${API}/accounts/:account`,
    {
      config: { access: 'admin' },
      schema: {
        tags: ['accounts'],
        summary: 'Remove an account with its records, snapshots and schedule (others untouched)',
        params: AccountParams,
        response: { 204: z.undefined(), ...problems(404, 503) },
      },
    },
    async (request, reply) => {
      const a = await store.getAccount(request.params.account);
      if (ctx.queue) {
        await checkRedis(ctx.queue);
        const q = queue(ctx.queue, QUEUES.trigger);
        try {
          await q.removeJobScheduler(schedulerId(a.id));
        } finally {
          await closeQuietly(q);
        }
      }
      await store.removeAccount(a.name);
      return reply.code(204).send();
    },
  );

  app.get(
    `${API}/accounts/:account/snapshots`,
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['snapshots'],
        summary: "The account's stored snapshots, oldest first",
        params: AccountParams,
        response: { 200: z.array(SnapshotEntry), ...problems(404) },
      },
    },
    async (request) => {
      const a = await store.getAccount(request.params.account);
      return (await store.listSnapshots(a.id)).map(entryOf);
    },
  );
}
