-- Zendesk's incremental streams (tickets, SLA outcomes) exported from `since`, or from two years
-- before their first sync, never all history; their coverage rows written before history_from
-- existed say NULL (all of it). Give them a start no earlier than the one they hold: `since`, or
-- two years before their last coverage (their first sync was no later). Their next sync keeps the
-- earlier of this and the start its cursor states, and a snapshot backfills what it lacks.
UPDATE record_coverage r
   SET history_from = COALESCE((a.config->>'since')::date::timestamp AT TIME ZONE 'UTC',
                               r.covered_at - interval '730 days')
  FROM accounts a
 WHERE a.id = r.account_id
   AND r.history_from IS NULL
   AND r.source IN ('zendesk:tickets', 'zendesk:sla-outcomes');
