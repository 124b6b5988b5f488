-- Review decisions: one append-only trail for every kind a reviewer records (src/domain/decisions.ts).
--   attest    a criterion is (value true) or is not (false) in place, where the data cannot show it;
--             `since` is the date it became true, `expires_at` when it lapses
--   dispute   the reviewer contradicts what the data shows (value as for attest)
--   exempt    a criterion (criterion_id) or a whole model (criterion_id NULL) does not apply here
--   override  a layer's level decided by a reviewer (level), made against the layer's evidence
--             `fingerprint` and `suggested_level` of the time, so it shows stale when they change
--   revoke    takes back the decision `revokes` (at most once)
-- Rows are never updated or deleted (a trigger refuses it), except with their account.
CREATE TABLE decisions (
  id           serial PRIMARY KEY,
  account_id   int NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('attest', 'dispute', 'exempt', 'override', 'revoke')),
  actor        text NOT NULL CHECK (btrim(actor) <> ''),
  token_name   text,
  made_at      timestamptz NOT NULL DEFAULT now(),
  model        text,
  layer        text,
  criterion_id text,
  value        boolean,
  level        int,
  reason       text NOT NULL CHECK (btrim(reason) <> ''),
  evidence_url text,
  since        timestamptz,
  expires_at   timestamptz,
  revokes      int REFERENCES decisions(id),
  fingerprint  text,
  suggested_level int,
  attestation_id int,
  CHECK (kind = 'revoke' OR model IS NOT NULL),
  CHECK (kind NOT IN ('attest', 'dispute') OR (criterion_id IS NOT NULL AND value IS NOT NULL)),
  CHECK (kind <> 'override' OR (layer IS NOT NULL AND level IS NOT NULL)),
  CHECK ((kind = 'revoke') = (revokes IS NOT NULL))
);
CREATE INDEX decisions_account ON decisions (account_id, id);
CREATE UNIQUE INDEX decisions_revoked_once ON decisions (revokes) WHERE revokes IS NOT NULL;

CREATE FUNCTION decisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Removing an account takes its trail with it (the cascade runs once the account is gone).
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM accounts WHERE id = OLD.account_id) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'the decisions trail is append-only: revoke a decision instead of changing it';
END;
$$;
CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE ON decisions
  FOR EACH ROW EXECUTE FUNCTION decisions_append_only();

-- Every attestation recorded so far moves into the trail as an `attest` decision (a reason was
-- optional then). The attestations table stays as it was, read-only from now on.
INSERT INTO decisions (account_id, kind, actor, made_at, model, criterion_id, value, reason,
                       expires_at, attestation_id)
SELECT account_id, 'attest', COALESCE(NULLIF(btrim(by_whom), ''), '(unknown)'), at, model, criterion_id, value,
       COALESCE(NULLIF(btrim(reason), ''), '(no reason was recorded: attested before reasons were required)'),
       expires_at, id
FROM attestations ORDER BY at, id;

COMMENT ON TABLE attestations IS
  'Read-only since 015_decisions.sql: its rows were copied into decisions (attestation_id).';
