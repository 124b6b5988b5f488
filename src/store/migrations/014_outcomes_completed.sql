-- SLA attainment reads the targets completed in the window: index them by completion time, as
-- tickets are by creation time.
CREATE INDEX sla_outcomes_account_completed ON sla_outcomes (account_id, completed_at);
