-- Snapshots asked for through the API and run by the server itself (no queue): kept here so a
-- restart neither forgets a job a client polls nor drops one still waiting to run. `request` is
-- what was asked (window, as-of, sync); `result` and `error` are the job's answer.
CREATE TABLE api_jobs (
  id          text PRIMARY KEY,
  account     text NOT NULL,
  state       text NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
  request     jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL,
  finished_at timestamptz,
  result      jsonb,
  error       jsonb
);
CREATE INDEX api_jobs_unfinished ON api_jobs (created_at) WHERE finished_at IS NULL;
