import { z } from 'zod';
import {
  defineConnector,
  type ConnectorDefinition,
  type StreamDefinition,
} from '../../connectors/shared/define-connector.js';
import type { HttpClient } from '../../connectors/shared/http-client.js';
import { memorySink } from '../../connectors/shared/memory-sink.js';
import { runSync, type RunSyncOptions } from '../../connectors/shared/run-sync.js';

/** A connector of the given streams and nothing else (no settings, no HTTP): runSync's tests. */
export const fakeConnector = (
  streams: StreamDefinition<unknown>[],
): ConnectorDefinition<unknown, unknown> =>
  defineConnector({
    id: 'fake',
    configSchema: z.unknown(),
    configSchemaFor: () => z.unknown(),
    secretSchema: z.unknown(),
    createClient: () => ({}) as HttpClient,
    testConnection: async () => ({ identity: 'fake' }),
    streams,
  });

/** Runs the streams of a fake connector into `o.sink` (a memory sink by default). */
export const runFake = (
  streams: StreamDefinition<unknown>[],
  o: Partial<Omit<RunSyncOptions<unknown>, 'connector' | 'config' | 'client'>> = {},
) =>
  runSync({
    sink: memorySink(),
    ...o,
    connector: fakeConnector(streams),
    config: {},
    client: {} as HttpClient,
  });
