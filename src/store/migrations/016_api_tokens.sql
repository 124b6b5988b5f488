-- Named API tokens for `maturity serve`, each with a role. Only the SHA-256 of a token is kept (the
-- token itself is shown once, when created). A revoked token stays, so the audit trail's actor
-- names keep pointing at a row; a name is unique among the tokens not revoked.
CREATE TABLE api_tokens (
  id            serial PRIMARY KEY,
  name          text NOT NULL,
  role          text NOT NULL CHECK (role IN ('viewer', 'reviewer', 'admin')),
  hash          text NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    text,
  revoked_at    timestamptz,
  last_used_at  timestamptz
);
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (name) WHERE revoked_at IS NULL;
