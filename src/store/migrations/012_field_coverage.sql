-- Field coverage: which optional field families a source delivered for a record kind. A family
-- never delivered leaves its metrics unknown; one delivered and empty is a real zero.
CREATE TABLE field_coverage (
  account_id  int NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  kind        text NOT NULL,
  field       text NOT NULL,
  source      text NOT NULL,
  PRIMARY KEY (account_id, kind, field)
);
-- Kinds covered before field coverage existed: every family counts as delivered, as before.
INSERT INTO field_coverage (account_id, kind, field, source)
  SELECT account_id, kind, '*', source FROM record_coverage;

-- A kind built from other records (groups and people derived from an incident export), and the
-- start of the history a source delivered (NULL: all of it).
ALTER TABLE record_coverage ADD COLUMN derived boolean NOT NULL DEFAULT false;
ALTER TABLE record_coverage ADD COLUMN history_from timestamptz;

-- What a ticket is about and where: segments for partner ownership.
ALTER TABLE tickets ADD COLUMN category text;
ALTER TABLE tickets ADD COLUMN region text;

-- Account settings the user gives (not the connector's config): e.g. the group-roles mapping.
ALTER TABLE accounts ADD COLUMN settings jsonb NOT NULL DEFAULT '{}'::jsonb;
