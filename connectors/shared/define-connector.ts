import { z } from 'zod';
import type { FieldCoverage } from '../../src/domain/fields.js';
import type { RecordBatch, RecordKind } from '../../src/domain/records.js';
import { ticketsOfColumns, type TicketColumns } from '../../src/domain/ticket-columns.js';
import type { AddressPolicy } from './check-address.js';
import type { ConnectorCli } from './connector-cli.js';
import type { HttpClient, HttpClientOptions } from './http-client.js';
import type { Invalid } from './map-page.js';

/** What a stream hands the runner after each page: stored together with the checkpoint, atomically. */
export interface PageResult<Cursor = unknown> {
  records?: RecordBatch;
  /**
   * Tickets held as columns (src/domain/ticket-columns.ts), stored as their records would be:
   * a stream that reads them from a response's bytes (ServiceNow's incident pages).
   */
  columns?: { tickets?: TicketColumns };
  /** Source ids removed at the source (e.g. deleted tickets). */
  deletes?: Partial<Record<RecordKind, string[]>>;
  /** Records that failed validation: counted and kept for inspection, never stored as records. */
  quarantined?: Invalid[];
  /**
   * Where to resume next time; saved in the same transaction as the records. `null`: start again
   * from scratch (a finished full pass). It must parse with the stream's cursor schema.
   */
  cursor: Cursor | null;
  /** Pages seen so far on this stream (for progress). */
  done?: boolean;
  /** Field families seen delivered on this page beyond those the stream declares (stored with it). */
  fields?: FieldCoverage;
  /** Things the user should know that did not stop the page (e.g. a field the source dropped). */
  warnings?: string[];
}

/** A page's records, those held as columns made into records (for sinks without a database). */
export function pageRecords(page: PageResult): RecordBatch {
  const columns = page.columns?.tickets;
  if (!columns) return page.records ?? {};
  return {
    ...page.records,
    tickets: [...(page.records?.tickets ?? []), ...ticketsOfColumns(columns)],
  };
}

/** How many records a page holds, those held as columns included. */
export const pageRecordCount = (page: PageResult): number =>
  Object.values(page.records ?? {}).reduce((n, l) => n + (l?.length ?? 0), 0) +
  (page.columns?.tickets?.count ?? 0);

/**
 * Thrown by a stream when the source lacks the data or the credentials may not read it (a
 * table that is absent, 403/404, rows all hidden by ACLs): the run goes on, and the stream's
 * record kinds stay uncovered so their evidence is unknown, never zero.
 */
export class SourceUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceUnavailable';
  }
}

export interface StreamContext<Config, Cursor = unknown> {
  config: Config;
  client: HttpClient;
  /**
   * The cursor saved with the last committed page, parsed with the stream's cursor schema;
   * undefined for a first sync, after a finished pass (saved `null`), or when the saved one did
   * not parse (see runSync).
   */
  cursor: Cursor | undefined;
  /**
   * Stores one page's records and its cursor in one transaction. The page is written while the
   * stream goes on reading: this resolves once the page before it is stored (its failure is
   * thrown here), and the runner waits for the last one when the stream returns.
   */
  commit(page: PageResult<Cursor>): Promise<void>;
  now: () => Date;
  signal?: AbortSignal;
  /**
   * The history the caller needs (a snapshot's window start): from this instant, `null` for all
   * of it, `undefined` for no requirement (the stream's own first-sync default). Streams that read
   * by start time fetch what they lack; full lists read from it when they can filter by time.
   */
  historyFrom?: Date | null;
}

/** What a stream tells the runner when it completes. */
export interface StreamSummary {
  /**
   * Where the history the stream now holds starts (`null`: all of it), for streams that read by
   * start time; stored with the coverage of its kinds. Absent: the stream holds all history.
   */
  historyFrom?: Date | null;
  /**
   * A full-refresh pass that read only the records created from this instant (a list filtered by
   * start time): the sweep leaves older stored records alone, since the pass never asked for them.
   */
  sweepFrom?: Date;
}

export interface StreamDefinition<Config, Cursor = unknown> {
  name: string;
  /** Record kinds this stream delivers in full once it completes. */
  kinds: RecordKind[];
  /**
   * The shape of the cursor the stream commits. The runner parses the saved cursor with it
   * before the stream sees it, and checks every cursor the stream commits against it.
   * `noCursor` for a stream that always starts from scratch.
   */
  cursor: z.ZodType<Cursor>;
  /**
   * The stream re-reads its whole source list on every pass (no incremental cursor): when a pass
   * completes, the runner deletes the records of its kinds that the pass did not upsert (deleted
   * at the source). A pass resumed after a crash keeps its start, so nothing read before the
   * crash is lost. A kind that another stream of the connector also delivers is not swept.
   */
  fullRefresh?: boolean;
  /**
   * The optional field families this stream delivers per kind (src/domain/fields.ts), from its
   * config. A kind not listed delivers all of them. Families never delivered leave their metrics
   * unknown, never zero.
   */
  fields?(config: Config): FieldCoverage;
  sync(ctx: StreamContext<Config, Cursor>): Promise<StreamSummary | void>;
}

/** The cursor of a stream that keeps none: every run starts from scratch (it commits `null`). */
export const noCursor = z.never();

/** Infers a stream's cursor type from its schema. */
export const defineStream = <Config, Cursor>(
  s: StreamDefinition<Config, Cursor>,
): StreamDefinition<Config, Cursor> => s;

export interface ConnectionCheck {
  /** Who we are connected as, for the confirmation message (no secrets). */
  identity: string;
}

export interface ConnectorDefinition<Config = unknown, Secret = unknown> {
  id: string;
  /**
   * Non-secret settings (subdomain, base URL, user, plan field…), stored in clear, as the command
   * line gives them: every address in them passes the shared check (connectors/shared/
   * check-address.ts) with `cliAddresses` (private and loopback hosts allowed).
   */
  configSchema: z.ZodType<Config>;
  /**
   * The same settings under another address policy: an account created through the HTTP API is
   * checked with `{ allowPrivate: false }` unless the operator allows private addresses.
   */
  configSchemaFor(addresses: AddressPolicy): z.ZodType<Config>;
  /** Credentials, stored encrypted. */
  secretSchema: z.ZodType<Secret>;
  createClient(config: Config, secret: Secret, options?: Partial<HttpClientOptions>): HttpClient;
  /** One cheap authenticated call; throws a MaturityError with one clear sentence on failure. */
  testConnection(client: HttpClient, config: Config): Promise<ConnectionCheck>;
  // Streams keep their own cursor types; the runner parses each with the stream's schema.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  streams: StreamDefinition<Config, any>[];
}

export const defineConnector = <C, S>(d: ConnectorDefinition<C, S>): ConnectorDefinition<C, S> => d;

/**
 * Any connector, whatever its settings and credentials types: the registry parses both with the
 * connector's own schemas before handing them back to that connector, so they always match.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyConnector = ConnectorDefinition<any, any>;

/**
 * One line of the registry (connectors/index.ts). Both halves load lazily so `maturity --help`
 * loads no connector: `cli` is the connector's cli.ts (its flags, for `maturity connect`),
 * `load` its index.ts (the definition with its client and streams).
 */
export interface ConnectorEntry {
  id: string;
  cli: () => Promise<{ cli: ConnectorCli }>;
  load: () => Promise<{ default: AnyConnector }>;
}
