import type { Db } from './db.js';

/** The accounts table: one helpdesk connection or one imported data set. */
export interface Account {
  id: number;
  name: string;
  connector: string;
  config: Record<string, unknown>;
  status: string;
  statusDetail: string | null;
  createdAt: Date;
}

export type AccountStatus = 'ok' | 'needs-attention';

interface AccountRow {
  id: number;
  name: string;
  connector: string;
  config: Record<string, unknown>;
  status: string;
  status_detail: string | null;
  created_at: Date;
}

const toAccount = (r: AccountRow): Account => ({
  id: r.id,
  name: r.name,
  connector: r.connector,
  config: r.config,
  status: r.status,
  statusDetail: r.status_detail,
  createdAt: r.created_at,
});

/** Creates the account, or replaces the connector and config of the one with that name. */
export async function createAccount(
  db: Db,
  name: string,
  connector: string,
  config: Record<string, unknown>,
): Promise<Account> {
  const rows = await db.query<AccountRow>(
    `INSERT INTO accounts (name, connector, config) VALUES ($1, $2, $3::jsonb)
     ON CONFLICT (name) DO UPDATE SET connector = EXCLUDED.connector, config = EXCLUDED.config
     RETURNING *`,
    [name, connector, JSON.stringify(config)],
  );
  return toAccount(rows[0]!);
}

/** The account with that name, created (with no config) when new; an existing one is unchanged. */
export async function ensureAccount(db: Db, name: string, connector: string): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO accounts (name, connector) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    [name, connector],
  );
  return rows[0]!.id;
}

/**
 * A connection that passed its check: config and sealed credentials stored, status back to ok.
 * An existing account of that name keeps its connector and gets the new config and credentials.
 */
export async function saveConnectedAccount(
  db: Db,
  name: string,
  connector: string,
  config: unknown,
  sealed: string,
): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO accounts (name, connector, config, secret, status, status_detail) VALUES ($1, $2, $3::jsonb, $4, 'ok', NULL)
     ON CONFLICT (name) DO UPDATE SET config = EXCLUDED.config, secret = EXCLUDED.secret, status = 'ok', status_detail = NULL
     RETURNING id`,
    [name, connector, JSON.stringify(config), sealed],
  );
  return rows[0]!.id;
}

export async function setAccountSecret(
  db: Db,
  accountId: number,
  sealed: string | null,
): Promise<void> {
  await db.query('UPDATE accounts SET secret = $2 WHERE id = $1', [accountId, sealed]);
}

export async function accountSecret(db: Db, accountId: number): Promise<string | null> {
  const rows = await db.query<{ secret: string | null }>(
    'SELECT secret FROM accounts WHERE id = $1',
    [accountId],
  );
  return rows[0]?.secret ?? null;
}

/** Every stored (sealed) credential, by account name. */
export function sealedSecrets(db: Db): Promise<{ id: number; name: string; secret: string }[]> {
  return db.query('SELECT id, name, secret FROM accounts WHERE secret IS NOT NULL ORDER BY name');
}

export async function setAccountStatus(
  db: Db,
  accountId: number,
  status: AccountStatus,
  detail: string | null,
): Promise<void> {
  await db.query('UPDATE accounts SET status = $2, status_detail = $3 WHERE id = $1', [
    accountId,
    status,
    detail,
  ]);
}

export async function accountSettings(db: Db, accountId: number): Promise<Record<string, unknown>> {
  const rows = await db.query<{ settings: Record<string, unknown> | null }>(
    'SELECT settings FROM accounts WHERE id = $1',
    [accountId],
  );
  return rows[0]?.settings ?? {};
}

export async function setAccountSetting(
  db: Db,
  accountId: number,
  key: string,
  value: unknown,
): Promise<void> {
  await db.query(
    value === undefined
      ? 'UPDATE accounts SET settings = settings - $2 WHERE id = $1'
      : `UPDATE accounts SET settings = jsonb_set(settings, ARRAY[$2], $3::jsonb) WHERE id = $1`,
    value === undefined ? [accountId, key] : [accountId, key, JSON.stringify(value)],
  );
}

export async function findAccount(db: Db, name: string): Promise<Account | undefined> {
  const rows = await db.query<AccountRow>('SELECT * FROM accounts WHERE name = $1', [name]);
  return rows[0] ? toAccount(rows[0]) : undefined;
}

export async function listAccounts(db: Db): Promise<Account[]> {
  const rows = await db.query<AccountRow>('SELECT * FROM accounts ORDER BY name');
  return rows.map(toAccount);
}

/** Deletes an account; its records, sync state, snapshots and schedule go with it (cascade). */
export async function removeAccount(db: Db, name: string): Promise<boolean> {
  const rows = await db.query('DELETE FROM accounts WHERE name = $1 RETURNING 1', [name]);
  return rows.length > 0;
}
