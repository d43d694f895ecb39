/**
 * Migration 12 (kept apart from migrations.ts for its size): editor test runs leave the workspace's daily buckets.
 */
import type { Migration } from './migration';

export const MIGRATION_12: Migration = {
  version: 12,
  name: 'test runs leave the workspace buckets',
  sql: `
-- Editor test runs (triggered_by.test) are not production: the workflow's statistics already left them out, the
-- workspace's daily buckets (and their duration bins and unpriced roll-ups) now do too. The triggers of migrations
-- 10 and 11 are recreated with that condition, unchanged otherwise. The condition scans for the key before parsing:
-- triggered_by holds the trigger payload, and parsing it on every finish showed in the runner's profile.
DROP TRIGGER run_stats_on_finish;
DROP TRIGGER run_stats_on_insert_finished;
DROP TRIGGER run_unpriced_on_finish;
DROP TRIGGER run_unpriced_on_insert_finished;
CREATE TRIGGER run_stats_on_finish AFTER UPDATE OF status ON runs
WHEN NEW.status IN ('completed', 'failed', 'cancelled') AND OLD.status IN ('queued', 'running') AND (instr(NEW.triggered_by, '"test"') = 0 OR json_extract(NEW.triggered_by, '$.test') IS NULL) BEGIN
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
WHEN NEW.status IN ('completed', 'failed', 'cancelled') AND (instr(NEW.triggered_by, '"test"') = 0 OR json_extract(NEW.triggered_by, '$.test') IS NULL) BEGIN
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
CREATE TRIGGER run_unpriced_on_finish AFTER UPDATE OF status ON runs
WHEN NEW.status IN ('completed', 'failed', 'cancelled') AND OLD.status IN ('queued', 'running')
  AND coalesce(json_extract(NEW.usage, '$.unpricedCalls'), 0) > 0 AND (instr(NEW.triggered_by, '"test"') = 0 OR json_extract(NEW.triggered_by, '$.test') IS NULL) BEGIN
INSERT INTO run_daily_stats (workspace_id, day, ucalls, utokens)
  VALUES (NEW.workspace_id, substr(NEW.queued_at, 1, 10), json_extract(NEW.usage, '$.unpricedCalls'), coalesce(json_extract(NEW.usage, '$.unpricedTokens'), 0))
  ON CONFLICT DO UPDATE SET ucalls = ucalls + excluded.ucalls, utokens = utokens + excluded.utokens;
END;
CREATE TRIGGER run_unpriced_on_insert_finished AFTER INSERT ON runs
WHEN NEW.status IN ('completed', 'failed', 'cancelled') AND coalesce(json_extract(NEW.usage, '$.unpricedCalls'), 0) > 0
  AND (instr(NEW.triggered_by, '"test"') = 0 OR json_extract(NEW.triggered_by, '$.test') IS NULL) BEGIN
INSERT INTO run_daily_stats (workspace_id, day, ucalls, utokens)
  VALUES (NEW.workspace_id, substr(NEW.queued_at, 1, 10), json_extract(NEW.usage, '$.unpricedCalls'), coalesce(json_extract(NEW.usage, '$.unpricedTokens'), 0))
  ON CONFLICT DO UPDATE SET ucalls = ucalls + excluded.ucalls, utokens = utokens + excluded.utokens;
END;
-- Correction: take back what the finished test runs still stored had added. Test runs that retention already
-- deleted cannot be told apart in a bucket any more: their share stays (at most the retention window's test runs).
-- The instr() pre-filter skips the JSON parse for the (many) runs whose trigger has no "test" key at all.
CREATE TEMP TABLE test_run_shares AS
SELECT workspace_id, substr(queued_at, 1, 10) AS day, count(*) AS n, sum(status = 'completed') AS completed,
  sum(status = 'failed') AS failed, sum(status = 'cancelled') AS cancelled,
  total(json_extract(usage, '$.aiTokensUsed')) AS tokens, total(json_extract(usage, '$.estimatedCost')) AS cost,
  total(json_extract(usage, '$.unpricedCalls')) AS ucalls, total(json_extract(usage, '$.unpricedTokens')) AS utokens,
  total(CASE WHEN finished_at IS NOT NULL THEN duration_ms END) AS dsum, count(CASE WHEN finished_at IS NOT NULL THEN duration_ms END) AS dcount
FROM runs WHERE instr(triggered_by, '"test"') > 0 AND json_extract(triggered_by, '$.test') IS NOT NULL
  AND status IN ('completed', 'failed', 'cancelled')
GROUP BY 1, 2;
UPDATE run_daily_stats SET total = max(0, total - t.n), completed = max(0, run_daily_stats.completed - t.completed),
  failed = max(0, run_daily_stats.failed - t.failed), cancelled = max(0, run_daily_stats.cancelled - t.cancelled),
  tokens = max(0, run_daily_stats.tokens - t.tokens), cost = max(0, run_daily_stats.cost - t.cost),
  ucalls = max(0, run_daily_stats.ucalls - t.ucalls), utokens = max(0, run_daily_stats.utokens - t.utokens),
  dsum = max(0, run_daily_stats.dsum - t.dsum), dcount = max(0, run_daily_stats.dcount - t.dcount)
FROM test_run_shares t WHERE run_daily_stats.workspace_id = t.workspace_id AND run_daily_stats.day = t.day;
UPDATE run_duration_bins SET n = max(0, run_duration_bins.n - t.n)
FROM (SELECT workspace_id, substr(queued_at, 1, 10) AS day, CASE WHEN duration_ms <= 1 THEN 0 ELSE CAST(ceil(ln(duration_ms) / ln(1.05)) AS INTEGER) END AS bin, count(*) AS n
  FROM runs WHERE instr(triggered_by, '"test"') > 0 AND json_extract(triggered_by, '$.test') IS NOT NULL
    AND status IN ('completed', 'failed', 'cancelled') AND finished_at IS NOT NULL AND duration_ms IS NOT NULL
  GROUP BY 1, 2, 3) t
WHERE run_duration_bins.workspace_id = t.workspace_id AND run_duration_bins.day = t.day AND run_duration_bins.bin = t.bin;
DELETE FROM run_duration_bins WHERE n = 0;
DROP TABLE test_run_shares;
`,
};
