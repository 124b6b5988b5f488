-- Nightly snapshot schedules: the database is the source of truth, Redis job schedulers mirror it
-- (so a flushed Redis is rebuilt by the next `maturity worker`).
CREATE TABLE schedules (
  account_id  int PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  cron        text NOT NULL,
  tz          text NOT NULL,
  enabled     boolean NOT NULL DEFAULT true,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
