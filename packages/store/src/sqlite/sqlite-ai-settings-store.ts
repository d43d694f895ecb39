import type { PriceOverride } from '@outrun/schemas';
import type { AiSettingsStore } from '../ports';
import { compact } from '../shared/errors';
import type { SqliteContext } from './sqlite-database';

interface PriceRow {
  model: string;
  input: number;
  cached_input: number | null;
  output: number;
  note: string | null;
  updated_at: string;
}

const toOverride = (r: PriceRow): PriceOverride =>
  compact({ model: r.model, input: r.input, cachedInput: r.cached_input ?? undefined, output: r.output, note: r.note ?? undefined, updatedAt: r.updated_at });

/** Workspace AI settings on SQLite (`ai_price_overrides`, `workspace_ai_settings`, migration 10). */
export function createSqliteAiSettingsStore(ctx: SqliteContext): AiSettingsStore {
  return {
    listPriceOverrides: (workspaceId) =>
      ctx.run(() => (ctx.stmt('SELECT model, input, cached_input, output, note, updated_at FROM ai_price_overrides WHERE workspace_id = ? ORDER BY model').all(workspaceId) as PriceRow[]).map(toOverride)),
    putPriceOverride: (workspaceId, model, price) =>
      ctx.write(() => {
        const row: PriceRow = { model, input: price.input, cached_input: price.cachedInput ?? null, output: price.output, note: price.note ?? null, updated_at: ctx.now() };
        ctx
          .stmt(`INSERT INTO ai_price_overrides (workspace_id, model, input, cached_input, output, note, updated_at)
                 VALUES (@workspace_id, @model, @input, @cached_input, @output, @note, @updated_at)
                 ON CONFLICT (workspace_id, model) DO UPDATE SET input = excluded.input, cached_input = excluded.cached_input,
                   output = excluded.output, note = excluded.note, updated_at = excluded.updated_at`)
          .run({ workspace_id: workspaceId, ...row });
        return toOverride(row);
      }),
    deletePriceOverride: (workspaceId, model) =>
      ctx.write(() => ctx.stmt('DELETE FROM ai_price_overrides WHERE workspace_id = ? AND model = ?').run(workspaceId, model).changes > 0),
    getAiSettings: (workspaceId) =>
      ctx.run(() => {
        const row = ctx.stmt('SELECT trace_content FROM workspace_ai_settings WHERE workspace_id = ?').get(workspaceId) as { trace_content: number } | undefined;
        return { traceContent: row?.trace_content === 1 };
      }),
    setAiSettings: (workspaceId, settings) =>
      ctx.write(() => {
        ctx
          .stmt(`INSERT INTO workspace_ai_settings (workspace_id, trace_content, updated_at) VALUES (?, ?, ?)
                 ON CONFLICT (workspace_id) DO UPDATE SET trace_content = excluded.trace_content, updated_at = excluded.updated_at`)
          .run(workspaceId, settings.traceContent ? 1 : 0, ctx.now());
        return { traceContent: settings.traceContent };
      }),
  };
}
