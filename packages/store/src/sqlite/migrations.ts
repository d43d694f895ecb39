/**
 * Versioned schema of the SQLite store. Append a migration, never edit one that shipped:
 * each runs once, in order, inside the start-up transaction (see `openSqliteDatabase`).
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

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
    // Numbered 3: version 2 is taken by the run statistics buckets of another branch of issue 19.
    version: 3,
    name: 'credential allowed hosts',
    sql: `
-- Where each credential may be sent (JSON array of origins / hosts / *.domains). Credentials created before this
-- get [] = nowhere: an HTTP step using one fails with OUT_ERR_CREDENTIAL_HOST_NOT_ALLOWED until PATCH sets hosts
-- (openai credentials fall back to the origin of their own baseURL, which only their creator could choose).
ALTER TABLE credentials ADD COLUMN allowed_hosts TEXT NOT NULL DEFAULT '[]';
`,
  },
];
