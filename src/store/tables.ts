import type { RecordKind } from '../domain/records.js';

type PgType = 'text' | 'timestamptz' | 'int' | 'float8' | 'boolean' | 'text[]' | 'jsonb';

/** Record field → column, per kind. Columns are the fields in snake_case. */
export interface TableSpec {
  table: string;
  fields: Record<string, PgType>;
}

export const tables: Record<RecordKind, TableSpec> = {
  tickets: {
    table: 'tickets',
    fields: {
      createdAt: 'timestamptz',
      updatedAt: 'timestamptz',
      solvedAt: 'timestamptz',
      closedAt: 'timestamptz',
      priority: 'text',
      status: 'text',
      channel: 'text',
      groupId: 'text',
      assigneeId: 'text',
      organisationId: 'text',
      category: 'text',
      region: 'text',
      reopenCount: 'int',
      reassignmentCount: 'int',
      knowledgeLinked: 'boolean',
      problemLinked: 'boolean',
      tags: 'text[]',
      firstResponseMinutes: 'float8',
      agentReplies: 'int',
      madeSla: 'boolean',
      slaPolicyId: 'text',
    },
  },
  slaPolicies: {
    table: 'sla_policies',
    fields: {
      name: 'text',
      kind: 'text',
      targets: 'jsonb',
      conditions: 'jsonb',
      createdAt: 'timestamptz',
      updatedAt: 'timestamptz',
    },
  },
  slaOutcomes: {
    table: 'sla_outcomes',
    fields: {
      ticketId: 'text',
      metric: 'text',
      targetMinutes: 'float8',
      status: 'text',
      measuredMinutes: 'float8',
      completedAt: 'timestamptz',
    },
  },
  plans: {
    table: 'plans',
    fields: {
      name: 'text',
      tier: 'int',
      slaPolicyId: 'text',
      customerCount: 'int',
      documented: 'boolean',
      services: 'text[]',
      createdAt: 'timestamptz',
      updatedAt: 'timestamptz',
    },
  },
  organisations: {
    table: 'organisations',
    fields: {
      name: 'text',
      planId: 'text',
      tags: 'text[]',
      hasCsm: 'boolean',
      createdAt: 'timestamptz',
    },
  },
  agents: {
    table: 'agents',
    fields: {
      name: 'text',
      role: 'text',
      groupIds: 'text[]',
      active: 'boolean',
      partner: 'boolean',
      createdAt: 'timestamptz',
    },
  },
  groups: {
    table: 'groups',
    fields: { name: 'text', partner: 'boolean', createdAt: 'timestamptz' },
  },
  automations: {
    table: 'automations',
    fields: {
      kind: 'text',
      name: 'text',
      active: 'boolean',
      createdAt: 'timestamptz',
      updatedAt: 'timestamptz',
    },
  },
  kbArticles: {
    table: 'kb_articles',
    fields: {
      title: 'text',
      state: 'text',
      createdAt: 'timestamptz',
      updatedAt: 'timestamptz',
      views: 'int',
      votes: 'int',
      authorId: 'text',
      partnerAuthored: 'boolean',
    },
  },
  satisfactionRatings: {
    table: 'satisfaction_ratings',
    fields: { ticketId: 'text', score: 'text', createdAt: 'timestamptz' },
  },
};

export const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * One INSERT … SELECT FROM jsonb_to_recordset … ON CONFLICT DO UPDATE per kind: a whole page of
 * records travels as one JSON parameter, the same on PGlite and PostgreSQL. Inserted and updated
 * rows alike get synced_at = now() (the transaction's time).
 */
export function upsertSql(kind: RecordKind): string {
  const spec = tables[kind];
  const fields = Object.keys(spec.fields);
  const cols = fields.map(snake);
  const recordset = ['"sourceId" text', ...fields.map((f) => `"${f}" ${spec.fields[f]}`)].join(
    ', ',
  );
  const select = ['$1::int', 'x."sourceId"', ...fields.map((f) => `x."${f}"`), 'now()'].join(', ');
  // synced_at marks the record as seen by this transaction (see Store.sweep).
  const updates = [...cols.map((c) => `${c} = EXCLUDED.${c}`), 'synced_at = now()'].join(', ');
  return `INSERT INTO ${spec.table} (account_id, source_id, ${cols.join(', ')}, synced_at)
SELECT ${select} FROM jsonb_to_recordset($2::jsonb) AS x(${recordset})
ON CONFLICT (account_id, source_id) DO UPDATE SET ${updates}`;
}
