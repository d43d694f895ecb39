/**
 * Versioned schema of the SQLite store. Append a migration, never edit one that shipped: each runs once, in order,
 * inside the start-up transaction. The runner (`applyMissingMigrations`) applies every version not recorded in
 * `schema_migrations`, so a number merged below one a file already has is still applied to it.
 */
import type { Migration } from './migration';
import { MIGRATION_12 } from './migration-12-test-runs';

export type { Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
CREATE TABLE workspaces (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, prefix TEXT NOT NULL UNIQUE, name TEXT,
  salt BLOB NOT NULL, hash BLOB NOT NULL, created_at TEXT NOT NULL, last_used_at TEXT
);
CREATE INDEX api_keys_by_workspace ON api_keys (workspace_id, created_at);

CREATE TABLE workflows (
  workspace_id TEXT NOT NULL, id TEXT NOT NULL, status TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL,
  total_runs INTEGER NOT NULL DEFAULT 0, successful_runs INTEGER NOT NULL DEFAULT 0, failed_runs INTEGER NOT NULL DEFAULT 0,
  timed_runs INTEGER NOT NULL DEFAULT 0, avg_execution_time REAL NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  PRIMARY KEY (workspace_id, id)
) WITHOUT ROWID;
CREATE INDEX workflows_by_updated ON workflows (workspace_id, updated_at DESC, id DESC);
CREATE INDEX workflows_active ON workflows (status) WHERE status = 'active';

CREATE TABLE workflow_versions (
  workspace_id TEXT NOT NULL, workflow_id TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL,
  PRIMARY KEY (workspace_id, workflow_id, version)
) WITHOUT ROWID;

CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO counters (name, value) VALUES ('workflows', 0);

CREATE TABLE runs (
  pk INTEGER PRIMARY KEY,
  workspace_id TEXT NOT NULL, id TEXT NOT NULL, workflow_id TEXT NOT NULL, workflow_version INTEGER NOT NULL,
  status TEXT NOT NULL, trigger_type TEXT NOT NULL, triggered_by TEXT NOT NULL, attempt INTEGER NOT NULL DEFAULT 1,
  error TEXT, idempotency_key TEXT, retry_of TEXT, output TEXT, response TEXT, usage TEXT,
  queued_at TEXT NOT NULL, started_at TEXT, finished_at TEXT, resume_at TEXT, duration_ms REAL
);
CREATE UNIQUE INDEX runs_by_id ON runs (workspace_id, id);
CREATE INDEX runs_by_queued ON runs (workspace_id, queued_at DESC, id DESC);
CREATE INDEX runs_by_workflow ON runs (workspace_id, workflow_id, queued_at DESC, id DESC);
CREATE INDEX runs_by_workflow_status ON runs (workspace_id, workflow_id, status, queued_at DESC, id DESC);
CREATE INDEX runs_by_status ON runs (workspace_id, status, queued_at DESC, id DESC);
CREATE INDEX runs_unfinished ON runs (status, queued_at) WHERE status IN ('queued', 'running');
CREATE INDEX runs_by_finished ON runs (workspace_id, finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE run_steps (
  run_pk INTEGER NOT NULL, node_id TEXT NOT NULL, ord INTEGER NOT NULL, node_type TEXT NOT NULL, status TEXT NOT NULL,
  attempt INTEGER NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, duration REAL,
  input TEXT, output TEXT, handle TEXT, error TEXT, usage TEXT,
  PRIMARY KEY (run_pk, node_id)
) WITHOUT ROWID;

CREATE TABLE idempotency_keys (
  workspace_id TEXT NOT NULL, key TEXT NOT NULL, run_id TEXT NOT NULL, expires_at TEXT NOT NULL,
  PRIMARY KEY (workspace_id, key)
) WITHOUT ROWID;

CREATE TABLE trigger_stats (
  workspace_id TEXT NOT NULL, trigger_id TEXT NOT NULL,
  fires INTEGER NOT NULL DEFAULT 0, runs_started INTEGER NOT NULL DEFAULT 0, auth_failures INTEGER NOT NULL DEFAULT 0,
  duplicates_dropped INTEGER NOT NULL DEFAULT 0, rate_limited INTEGER NOT NULL DEFAULT 0,
  last_fired_at TEXT, last_error TEXT,
  PRIMARY KEY (workspace_id, trigger_id)
) WITHOUT ROWID;

CREATE TABLE trigger_occurrences (
  workspace_id TEXT NOT NULL, trigger_id TEXT NOT NULL, last_fired TEXT NOT NULL,
  PRIMARY KEY (workspace_id, trigger_id)
) WITHOUT ROWID;

CREATE TABLE feed_positions (consumer_id TEXT PRIMARY KEY, position TEXT NOT NULL, updated_at TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE credentials (
  workspace_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, sealed TEXT NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  PRIMARY KEY (workspace_id, id)
) WITHOUT ROWID;

CREATE TABLE data_documents (
  workspace_id TEXT NOT NULL, collection TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  PRIMARY KEY (workspace_id, collection, id)
) WITHOUT ROWID;
CREATE INDEX data_documents_by_created ON data_documents (workspace_id, collection, created_at, id);

CREATE TABLE data_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id TEXT NOT NULL, collection TEXT NOT NULL, operation TEXT NOT NULL, document_id TEXT NOT NULL,
  document TEXT, before TEXT, at TEXT NOT NULL
);
`,
  },
  {
    version: 2,
    name: 'run daily buckets, duration histogram, leases',
    sql: `
-- Whole-workspace statistics read these instead of scanning runs (1.8–2.5 s over 1M runs before). Triggers keep
-- them in the same transaction as the run write, so they can never drift: an insert counts a run on its queued
-- day; the first terminal status adds its outcome, tokens, cost and duration; discarding a queued run (enqueue
-- failed, nothing accepted) takes it back. Retention deletes finished runs and leaves the buckets alone.
CREATE TABLE run_daily_stats (
  workspace_id TEXT NOT NULL, day TEXT NOT NULL,
  total INTEGER NOT NULL DEFAULT 0, completed INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0, cancelled INTEGER NOT NULL DEFAULT 0,
  tokens REAL NOT NULL DEFAULT 0, cost REAL NOT NULL DEFAULT 0, dsum REAL NOT NULL DEFAULT 0, dcount INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace_id, day)
) WITHOUT ROWID;
-- Durations in geometric bins (upper bound 1.05^bin ms): the p95 within 5 % without sorting a million rows.
CREATE TABLE run_duration_bins (
  workspace_id TEXT NOT NULL, day TEXT NOT NULL, bin INTEGER NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, day, bin)
) WITHOUT ROWID;

CREATE TRIGGER run_stats_on_insert AFTER INSERT ON runs BEGIN
  INSERT INTO run_daily_stats (workspace_id, day, total) VALUES (NEW.workspace_id, substr(NEW.queued_at, 1, 10), 1)
    ON CONFLICT DO UPDATE SET total = total + 1;
END;

CREATE TRIGGER run_stats_on_finish AFTER UPDATE OF status ON runs
  WHEN NEW.status IN ('completed', 'failed', 'cancelled') AND OLD.status IN ('queued', 'running') BEGIN
  INSERT INTO run_daily_stats (workspace_id, day, completed, failed, cancelled, tokens, cost, dsum, dcount)
    VALUES (NEW.workspace_id, substr(NEW.queued_at, 1, 10), NEW.status = 'completed', NEW.status = 'failed', NEW.status = 'cancelled',
      coalesce(json_extract(NEW.usage, '$.aiTokensUsed'), 0), coalesce(json_extract(NEW.usage, '$.estimatedCost'), 0),
      CASE WHEN NEW.finished_at IS NOT NULL THEN coalesce(NEW.duration_ms, 0) ELSE 0 END,
      NEW.finished_at IS NOT NULL AND NEW.duration_ms IS NOT NULL)
    ON CONFLICT DO UPDATE SET completed = completed + excluded.completed, failed = failed + excluded.failed, cancelled = cancelled + excluded.cancelled,
      tokens = tokens + excluded.tokens, cost = cost + excluded.cost, dsum = dsum + excluded.dsum, dcount = dcount + excluded.dcount;
  INSERT INTO run_duration_bins (workspace_id, day, bin, n)
    SELECT NEW.workspace_id, substr(NEW.queued_at, 1, 10), CASE WHEN NEW.duration_ms <= 1 THEN 0 ELSE CAST(ceil(ln(NEW.duration_ms) / ln(1.05)) AS INTEGER) END, 1
    WHERE NEW.finished_at IS NOT NULL AND NEW.duration_ms IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- A run recorded already finished (an import, a bulk load) counts its outcome at once.
CREATE TRIGGER run_stats_on_insert_finished AFTER INSERT ON runs
  WHEN NEW.status IN ('completed', 'failed', 'cancelled') BEGIN
  INSERT INTO run_daily_stats (workspace_id, day, completed, failed, cancelled, tokens, cost, dsum, dcount)
    VALUES (NEW.workspace_id, substr(NEW.queued_at, 1, 10), NEW.status = 'completed', NEW.status = 'failed', NEW.status = 'cancelled',
      coalesce(json_extract(NEW.usage, '$.aiTokensUsed'), 0), coalesce(json_extract(NEW.usage, '$.estimatedCost'), 0),
      CASE WHEN NEW.finished_at IS NOT NULL THEN coalesce(NEW.duration_ms, 0) ELSE 0 END,
      NEW.finished_at IS NOT NULL AND NEW.duration_ms IS NOT NULL)
    ON CONFLICT DO UPDATE SET completed = completed + excluded.completed, failed = failed + excluded.failed, cancelled = cancelled + excluded.cancelled,
      tokens = tokens + excluded.tokens, cost = cost + excluded.cost, dsum = dsum + excluded.dsum, dcount = dcount + excluded.dcount;
  INSERT INTO run_duration_bins (workspace_id, day, bin, n)
    SELECT NEW.workspace_id, substr(NEW.queued_at, 1, 10), CASE WHEN NEW.duration_ms <= 1 THEN 0 ELSE CAST(ceil(ln(NEW.duration_ms) / ln(1.05)) AS INTEGER) END, 1
    WHERE NEW.finished_at IS NOT NULL AND NEW.duration_ms IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER run_stats_on_discard AFTER DELETE ON runs WHEN OLD.status = 'queued' BEGIN
  UPDATE run_daily_stats SET total = total - 1 WHERE workspace_id = OLD.workspace_id AND day = substr(OLD.queued_at, 1, 10);
END;

-- Backfill from the runs already stored.
INSERT INTO run_daily_stats (workspace_id, day, total, completed, failed, cancelled, tokens, cost, dsum, dcount)
  SELECT workspace_id, substr(queued_at, 1, 10), count(*), sum(status = 'completed'), sum(status = 'failed'), sum(status = 'cancelled'),
    total(json_extract(usage, '$.aiTokensUsed')), total(json_extract(usage, '$.estimatedCost')),
    total(CASE WHEN finished_at IS NOT NULL THEN duration_ms END), count(CASE WHEN finished_at IS NOT NULL THEN duration_ms END)
  FROM runs GROUP BY 1, 2;
INSERT INTO run_duration_bins (workspace_id, day, bin, n)
  SELECT workspace_id, substr(queued_at, 1, 10), CASE WHEN duration_ms <= 1 THEN 0 ELSE CAST(ceil(ln(duration_ms) / ln(1.05)) AS INTEGER) END, count(*)
  FROM runs WHERE finished_at IS NOT NULL AND duration_ms IS NOT NULL GROUP BY 1, 2, 3;

-- Retention and version pruning run in one process of an installation: the holder of this lease.
CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;
`,
  },
  {
    version: 3,
    name: 'credential allowed hosts',
    sql: `
-- Where each credential may be sent (JSON array of origins / hosts / *.domains). Credentials created before this
-- get [] = nowhere: an HTTP step using one fails with OUT_ERR_CREDENTIAL_HOST_NOT_ALLOWED until PATCH sets hosts
-- (openai credentials fall back to the origin of their own baseURL, which only their creator could choose).
ALTER TABLE credentials ADD COLUMN allowed_hosts TEXT NOT NULL DEFAULT '[]';
`,
  },
  {
    version: 4,
    name: 'trigger error counter',
    sql: `
-- How many errors were recorded for a trigger (a failed change-feed attempt, a trigger that could not be indexed);
-- last_error keeps the newest one.
ALTER TABLE trigger_stats ADD COLUMN errors INTEGER NOT NULL DEFAULT 0;
`,
  },
  {
    version: 5,
    name: 'unique trigger ids',
    sql: `
-- Trigger ids are unique per workspace among non-archived workflows (the webhook URL is /webhook/:ws/:triggerId):
-- a unique index, kept by triggers on workflows, so two concurrent saves cannot both take one id. Archived
-- workflows give their ids back; un-archiving takes them again (or fails when another workflow has one).
CREATE TABLE workflow_trigger_ids (
  workspace_id TEXT NOT NULL, trigger_id TEXT NOT NULL, workflow_id TEXT NOT NULL,
  PRIMARY KEY (workspace_id, trigger_id)
) WITHOUT ROWID;
CREATE INDEX workflow_trigger_ids_by_workflow ON workflow_trigger_ids (workspace_id, workflow_id);
INSERT OR IGNORE INTO workflow_trigger_ids (workspace_id, trigger_id, workflow_id)
  SELECT w.workspace_id, json_extract(t.value, '$.id'), w.id FROM workflows w, json_each(w.body, '$.triggers') t WHERE w.status != 'archived';
CREATE TRIGGER workflow_trigger_ids_on_insert AFTER INSERT ON workflows WHEN NEW.status != 'archived' BEGIN
  INSERT INTO workflow_trigger_ids (workspace_id, trigger_id, workflow_id)
    SELECT NEW.workspace_id, json_extract(t.value, '$.id'), NEW.id FROM json_each(NEW.body, '$.triggers') t;
END;
CREATE TRIGGER workflow_trigger_ids_on_update AFTER UPDATE OF body, status ON workflows BEGIN
  DELETE FROM workflow_trigger_ids WHERE workspace_id = OLD.workspace_id AND workflow_id = OLD.id;
  INSERT INTO workflow_trigger_ids (workspace_id, trigger_id, workflow_id)
    SELECT NEW.workspace_id, json_extract(t.value, '$.id'), NEW.id FROM json_each(NEW.body, '$.triggers') t WHERE NEW.status != 'archived';
END;
CREATE TRIGGER workflow_trigger_ids_on_delete AFTER DELETE ON workflows BEGIN
  DELETE FROM workflow_trigger_ids WHERE workspace_id = OLD.workspace_id AND workflow_id = OLD.id;
END;
`,
  },
  {
    version: 6,
    name: 'workflow drafts and publish messages',
    sql: `
-- The editor autosaves here; only publishing writes a new row of workflow_versions (one draft per workflow).
CREATE TABLE workflow_drafts (
  workspace_id TEXT NOT NULL, workflow_id TEXT NOT NULL, base_version INTEGER NOT NULL, body TEXT NOT NULL, updated_at TEXT NOT NULL,
  PRIMARY KEY (workspace_id, workflow_id)
) WITHOUT ROWID;
ALTER TABLE workflow_versions ADD COLUMN message TEXT;
`,
  },
  {
    version: 7,
    name: 'step order index',
    sql: `
-- Each step write numbers a new step max(ord) + 1 within its run: without this index that scanned every step row
-- (payloads included) already recorded, so a 10,000-step run cost O(steps²). Also serves ORDER BY ord on reads.
CREATE INDEX IF NOT EXISTS run_steps_by_ord ON run_steps (run_pk, ord);
`,
  },
  {
    version: 8,
    name: 'accounts, roles, sessions, audit',
    sql: `
-- People (issue 15). Passwords are argon2id PHC strings made by the API; session ids and link tokens are random and
-- only their SHA-256 is kept. Keys made before roles existed keep full workspace access: role admin, no expiry.
ALTER TABLE api_keys ADD COLUMN role TEXT NOT NULL DEFAULT 'admin';
ALTER TABLE api_keys ADD COLUMN expires_at TEXT;
CREATE TABLE users (
  id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT, password_hash TEXT,
  instance_owner INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL
);
CREATE TABLE memberships (
  workspace_id TEXT NOT NULL, user_id TEXT NOT NULL, role TEXT NOT NULL, created_at TEXT NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
) WITHOUT ROWID;
CREATE INDEX memberships_by_user ON memberships (user_id);
CREATE TABLE sessions (
  hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_at TEXT NOT NULL, last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL, idle_expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE TABLE account_tokens (
  hash TEXT PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, email TEXT NOT NULL, workspace_id TEXT, role TEXT,
  created_by TEXT, created_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT
);
CREATE INDEX account_tokens_by_workspace ON account_tokens (workspace_id, kind);
-- Append-only: no code path updates or deletes a row; the triggers make that hold for anyone with SQL too.
CREATE TABLE audit_entries (
  id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, at TEXT NOT NULL, actor_id TEXT NOT NULL, actor_label TEXT,
  action TEXT NOT NULL, body TEXT NOT NULL
);
CREATE INDEX audit_by_workspace ON audit_entries (workspace_id, id);
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
`,
  },
  {
    version: 9,
    name: 'waiting signals and sub-workflow links',
    sql: `
-- A waiting run names the signal it waits for (approval, event, child run): a delivery is a compare-and-set on it,
-- so a decision counts once; the delivered payload is kept until the run parks again. Events find their runs by it.
ALTER TABLE runs ADD COLUMN waiting_for TEXT;
ALTER TABLE runs ADD COLUMN signal_payload TEXT;
ALTER TABLE runs ADD COLUMN parent_run_id TEXT;
ALTER TABLE runs ADD COLUMN parent_step_id TEXT;
CREATE INDEX runs_waiting_for ON runs (workspace_id, waiting_for) WHERE waiting_for IS NOT NULL;
CREATE INDEX runs_by_parent ON runs (workspace_id, parent_run_id) WHERE parent_run_id IS NOT NULL;
`,
  },
  {
    version: 10,
    name: 'workspace ai settings and run trace ids',
    sql: `
-- Per-workspace AI price overrides (USD per 1M tokens), consulted before the instance file and the catalogue.
CREATE TABLE ai_price_overrides (
  workspace_id TEXT NOT NULL, model TEXT NOT NULL, input REAL NOT NULL, cached_input REAL, output REAL NOT NULL,
  note TEXT, updated_at TEXT NOT NULL,
  PRIMARY KEY (workspace_id, model)
) WITHOUT ROWID;
-- Per-workspace AI switches (content tracing: prompts and completions on model spans, default off).
CREATE TABLE workspace_ai_settings (workspace_id TEXT PRIMARY KEY, trace_content INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL) WITHOUT ROWID;
-- The run's OpenTelemetry trace id (the run view links to the trace).
ALTER TABLE runs ADD COLUMN trace_id TEXT;
-- Unpriced AI calls and their tokens roll up per day apart from the cost (unknown is not 0). Triggers of their own
-- (the bucket triggers of migration 2 stay as they are), firing only for a run that had an unpriced call, each an
-- upsert so the order among the triggers of one statement does not matter; existing buckets are backfilled.
ALTER TABLE run_daily_stats ADD COLUMN ucalls INTEGER NOT NULL DEFAULT 0;
ALTER TABLE run_daily_stats ADD COLUMN utokens INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER run_unpriced_on_finish AFTER UPDATE OF status ON runs
  WHEN NEW.status IN ('completed', 'failed', 'cancelled') AND OLD.status IN ('queued', 'running')
    AND coalesce(json_extract(NEW.usage, '$.unpricedCalls'), 0) > 0 BEGIN
  INSERT INTO run_daily_stats (workspace_id, day, ucalls, utokens)
    VALUES (NEW.workspace_id, substr(NEW.queued_at, 1, 10), json_extract(NEW.usage, '$.unpricedCalls'), coalesce(json_extract(NEW.usage, '$.unpricedTokens'), 0))
    ON CONFLICT DO UPDATE SET ucalls = ucalls + excluded.ucalls, utokens = utokens + excluded.utokens;
END;
CREATE TRIGGER run_unpriced_on_insert_finished AFTER INSERT ON runs
  WHEN NEW.status IN ('completed', 'failed', 'cancelled') AND coalesce(json_extract(NEW.usage, '$.unpricedCalls'), 0) > 0 BEGIN
  INSERT INTO run_daily_stats (workspace_id, day, ucalls, utokens)
    VALUES (NEW.workspace_id, substr(NEW.queued_at, 1, 10), json_extract(NEW.usage, '$.unpricedCalls'), coalesce(json_extract(NEW.usage, '$.unpricedTokens'), 0))
    ON CONFLICT DO UPDATE SET ucalls = ucalls + excluded.ucalls, utokens = utokens + excluded.utokens;
END;
UPDATE run_daily_stats SET
  ucalls = (SELECT coalesce(sum(json_extract(r.usage, '$.unpricedCalls')), 0) FROM runs r
    WHERE r.workspace_id = run_daily_stats.workspace_id AND r.queued_at >= run_daily_stats.day AND r.queued_at < run_daily_stats.day || 'U' AND r.status IN ('completed', 'failed', 'cancelled')),
  utokens = (SELECT coalesce(sum(json_extract(r.usage, '$.unpricedTokens')), 0) FROM runs r
    WHERE r.workspace_id = run_daily_stats.workspace_id AND r.queued_at >= run_daily_stats.day AND r.queued_at < run_daily_stats.day || 'U' AND r.status IN ('completed', 'failed', 'cancelled'));
`,
  },
  {
    version: 11,
    name: 'run buckets count a run when it finishes',
    sql: `
-- Counting every run into its day's bucket at insert cost createRun a third of its time (an upsert on the one hot
-- bucket row per accepted webhook). A bucket now counts a run when it reaches a terminal status (total = finished
-- runs, in the transaction that finishes it); runs still queued or running are counted live from their index
-- (runs_by_status), a set bounded by the backlog. A discarded queued run was never counted, so no trigger is needed.
DROP TRIGGER run_stats_on_insert;
DROP TRIGGER run_stats_on_discard;
DROP TRIGGER run_stats_on_finish;
DROP TRIGGER run_stats_on_insert_finished;
CREATE TRIGGER run_stats_on_finish AFTER UPDATE OF status ON runs
  WHEN NEW.status IN ('completed', 'failed', 'cancelled') AND OLD.status IN ('queued', 'running') BEGIN
  INSERT INTO run_daily_stats (workspace_id, day, total, completed, failed, cancelled, tokens, cost, dsum, dcount)
    VALUES (NEW.workspace_id, substr(NEW.queued_at, 1, 10), 1, NEW.status = 'completed', NEW.status = 'failed', NEW.status = 'cancelled',
      coalesce(json_extract(NEW.usage, '$.aiTokensUsed'), 0), coalesce(json_extract(NEW.usage, '$.estimatedCost'), 0),
      CASE WHEN NEW.finished_at IS NOT NULL THEN coalesce(NEW.duration_ms, 0) ELSE 0 END,
      NEW.finished_at IS NOT NULL AND NEW.duration_ms IS NOT NULL)
    ON CONFLICT DO UPDATE SET total = total + 1, completed = completed + excluded.completed, failed = failed + excluded.failed, cancelled = cancelled + excluded.cancelled,
      tokens = tokens + excluded.tokens, cost = cost + excluded.cost, dsum = dsum + excluded.dsum, dcount = dcount + excluded.dcount;
  INSERT INTO run_duration_bins (workspace_id, day, bin, n)
    SELECT NEW.workspace_id, substr(NEW.queued_at, 1, 10), CASE WHEN NEW.duration_ms <= 1 THEN 0 ELSE CAST(ceil(ln(NEW.duration_ms) / ln(1.05)) AS INTEGER) END, 1
    WHERE NEW.finished_at IS NOT NULL AND NEW.duration_ms IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER run_stats_on_insert_finished AFTER INSERT ON runs
  WHEN NEW.status IN ('completed', 'failed', 'cancelled') BEGIN
  INSERT INTO run_daily_stats (workspace_id, day, total, completed, failed, cancelled, tokens, cost, dsum, dcount)
    VALUES (NEW.workspace_id, substr(NEW.queued_at, 1, 10), 1, NEW.status = 'completed', NEW.status = 'failed', NEW.status = 'cancelled',
      coalesce(json_extract(NEW.usage, '$.aiTokensUsed'), 0), coalesce(json_extract(NEW.usage, '$.estimatedCost'), 0),
      CASE WHEN NEW.finished_at IS NOT NULL THEN coalesce(NEW.duration_ms, 0) ELSE 0 END,
      NEW.finished_at IS NOT NULL AND NEW.duration_ms IS NOT NULL)
    ON CONFLICT DO UPDATE SET total = total + 1, completed = completed + excluded.completed, failed = failed + excluded.failed, cancelled = cancelled + excluded.cancelled,
      tokens = tokens + excluded.tokens, cost = cost + excluded.cost, dsum = dsum + excluded.dsum, dcount = dcount + excluded.dcount;
  INSERT INTO run_duration_bins (workspace_id, day, bin, n)
    SELECT NEW.workspace_id, substr(NEW.queued_at, 1, 10), CASE WHEN NEW.duration_ms <= 1 THEN 0 ELSE CAST(ceil(ln(NEW.duration_ms) / ln(1.05)) AS INTEGER) END, 1
    WHERE NEW.finished_at IS NOT NULL AND NEW.duration_ms IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
UPDATE run_daily_stats SET total = completed + failed + cancelled;
`,
  },
  MIGRATION_12,
  {
    version: 13,
    name: 'shared sign-in lockout counters',
    sql: `
-- Failed sign-ins per account and per IP, shared by every gateway process on this file (a per-process map let each
-- replica grant its own free attempts). Keys are SHA-256 hashes (no email or address in the clear). A counter is
-- forgotten at forget_at (epoch ms); expired rows are deleted on each write, so the table stays bounded.
CREATE TABLE sign_in_failures (
  key TEXT PRIMARY KEY, failures INTEGER NOT NULL, last_failure_at INTEGER NOT NULL, forget_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sign_in_failures_by_forget_at ON sign_in_failures (forget_at);
`,
  },
  {
    version: 14,
    name: 'run buckets counted by the finish, not by triggers',
    sql: `
-- A run's daily bucket and duration bin are counted by the store's finish (sqlite-run-buckets.ts), the only place a
-- status becomes terminal, with values it already holds. The triggers made every status update of runs load the
-- old and new rows whole and parse the stored usage and trigger payload: about a fifth of the store's work per run.
-- The insert triggers counted runs inserted already finished, which the store never does.
DROP TRIGGER run_stats_on_finish;
DROP TRIGGER run_stats_on_insert_finished;
DROP TRIGGER run_unpriced_on_finish;
DROP TRIGGER run_unpriced_on_insert_finished;
`,
  },
];
