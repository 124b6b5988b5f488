-- Accounts: one helpdesk connection (or one imported data set).
CREATE TABLE accounts (
  id          serial PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  connector   text NOT NULL,
  config      jsonb NOT NULL DEFAULT '{}'::jsonb,
  secret      text,
  status      text NOT NULL DEFAULT 'ok',
  status_detail text,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tickets (
  account_id  int NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  source_id   text NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz,
  solved_at   timestamptz,
  closed_at   timestamptz,
  priority    text,
  status      text NOT NULL,
  channel     text,
  group_id    text,
  assignee_id text,
  organisation_id text,
  reopen_count int,
  reassignment_count int,
  knowledge_linked boolean,
  problem_linked boolean,
  tags        text[] NOT NULL DEFAULT '{}',
  first_response_minutes double precision,
  agent_replies int,
  made_sla    boolean,
  sla_policy_id text,
  PRIMARY KEY (account_id, source_id)
);
CREATE INDEX tickets_account_created ON tickets (account_id, created_at);

CREATE TABLE sla_policies (
  account_id  int NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  source_id   text NOT NULL,
  name        text NOT NULL,
  kind        text NOT NULL,
  targets     jsonb NOT NULL,
  conditions  jsonb NOT NULL,
  created_at  timestamptz,
  updated_at  timestamptz,
  PRIMARY KEY (account_id, source_id)
);

CREATE TABLE sla_outcomes (
  account_id  int NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  source_id   text NOT NULL,
  ticket_id   text NOT NULL,
  metric      text NOT NULL,
  target_minutes double precision,
  status      text NOT NULL,
  measured_minutes double precision,
  completed_at timestamptz,
  PRIMARY KEY (account_id, source_id)
);
CREATE INDEX sla_outcomes_account_ticket ON sla_outcomes (account_id, ticket_id);

CREATE TABLE plans (
  account_id  int NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  source_id   text NOT NULL,
  name        text NOT NULL,
  tier        int,
  sla_policy_id text,
  customer_count int,
  documented  boolean,
  services    text[] NOT NULL DEFAULT '{}',
  created_at  timestamptz,
  updated_at  timestamptz,
  PRIMARY KEY (account_id, source_id)
);

CREATE TABLE organisations (
  account_id  int NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  source_id   text NOT NULL,
  name        text,
  plan_id     text,
  tags        text[] NOT NULL DEFAULT '{}',
  has_csm     boolean,
  created_at  timestamptz,
  PRIMARY KEY (account_id, source_id)
);

CREATE TABLE agents (
  account_id  int NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  source_id   text NOT NULL,
  name        text,
  role        text NOT NULL,
  group_ids   text[] NOT NULL DEFAULT '{}',
  active      boolean NOT NULL,
  partner     boolean,
  created_at  timestamptz,
  PRIMARY KEY (account_id, source_id)
);

CREATE TABLE groups (
  account_id  int NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  source_id   text NOT NULL,
  name        text NOT NULL,
  partner     boolean,
  created_at  timestamptz,
  PRIMARY KEY (account_id, source_id)
);

CREATE TABLE automations (
  account_id  int NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  source_id   text NOT NULL,
  kind        text NOT NULL,
  name        text,
  active      boolean NOT NULL,
  created_at  timestamptz,
  updated_at  timestamptz,
  PRIMARY KEY (account_id, source_id)
);

CREATE TABLE kb_articles (
  account_id  int NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  source_id   text NOT NULL,
  title       text,
  state       text NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz,
  views       int,
  votes       int,
  author_id   text,
  partner_authored boolean,
  PRIMARY KEY (account_id, source_id)
);

CREATE TABLE satisfaction_ratings (
  account_id  int NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  source_id   text NOT NULL,
  ticket_id   text,
  score       text NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (account_id, source_id)
);
CREATE INDEX satisfaction_ratings_account_created ON satisfaction_ratings (account_id, created_at);

-- Which record kinds a sync or import has delivered in full for an account: a count over a kind
-- that was never delivered is unknown, not zero.
CREATE TABLE record_coverage (
  account_id  int NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  kind        text NOT NULL,
  source      text NOT NULL,
  covered_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, kind)
);

-- Where each (account, stream) sync got to: saved after every page.
CREATE TABLE sync_state (
  account_id  int NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  stream      text NOT NULL,
  cursor      jsonb,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, stream)
);

-- Records a connector could not validate: counted and reported, never silently dropped.
CREATE TABLE quarantine (
  id          serial PRIMARY KEY,
  account_id  int NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  stream      text NOT NULL,
  source_id   text,
  error       text NOT NULL,
  payload     jsonb,
  at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE snapshots (
  id          serial PRIMARY KEY,
  account_id  int NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  as_of       timestamptz NOT NULL,
  day         date NOT NULL,
  window_spec text NOT NULL,
  rules_version text NOT NULL,
  rules_hash  text NOT NULL,
  partial     boolean NOT NULL DEFAULT false,
  body        jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, day, window_spec)
);

-- Reviewer statements about criteria the data cannot show.
CREATE TABLE attestations (
  id          serial PRIMARY KEY,
  account_id  int NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  model       text NOT NULL,
  criterion_id text NOT NULL,
  value       boolean NOT NULL,
  by_whom     text NOT NULL,
  reason      text,
  at          timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz
);
