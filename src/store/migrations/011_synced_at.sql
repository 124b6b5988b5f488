-- Mark and sweep for full-refresh streams: every upsert stamps synced_at, and a stream that
-- re-reads a whole list drops at the end of a complete pass the records it did not see again.
ALTER TABLE tickets ADD COLUMN synced_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE sla_policies ADD COLUMN synced_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE sla_outcomes ADD COLUMN synced_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE plans ADD COLUMN synced_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE organisations ADD COLUMN synced_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE agents ADD COLUMN synced_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE groups ADD COLUMN synced_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE automations ADD COLUMN synced_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE kb_articles ADD COLUMN synced_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE satisfaction_ratings ADD COLUMN synced_at timestamptz NOT NULL DEFAULT now();

-- When the current pass of a full-refresh stream started (the time of its first committed page);
-- kept while the pass is resumed after a crash, cleared when the pass completes.
ALTER TABLE sync_state ADD COLUMN run_started_at timestamptz;

-- A stream caught mid-pass by this migration: the records it read before it were stamped with the
-- migration's time, not their own, so the pass it resumes must sweep nothing (-infinity).
UPDATE sync_state SET run_started_at = '-infinity'
 WHERE cursor IS NOT NULL AND cursor <> 'null'::jsonb;
