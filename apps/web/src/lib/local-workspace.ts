import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';

const LocalWorkspaceFile = z.object({ workspaceId: z.string().min(1), apiKey: z.string().min(1) });

/**
 * Embedded mode (`npm start`) gives the web server the local API key; the workspace it belongs to is recorded
 * in `<data dir>/local-workspace.json`. Returns that workspace id only when the file's key is the same key,
 * so a stale or foreign file is never used. Looks in `OUTRUN_DATA_DIR` (relative to the repo root) and `./.outrun`.
 */
export async function workspaceOfLocalKey(apiKey: string, dataDir: string | undefined): Promise<string | null> {
  const root = resolve(process.cwd(), '..', '..');
  const dirs = [dataDir && (isAbsolute(dataDir) ? dataDir : join(root, dataDir)), join(root, '.outrun')].filter((d): d is string => Boolean(d));
  for (const dir of dirs) {
    try {
      const parsed = LocalWorkspaceFile.safeParse(JSON.parse(await readFile(join(dir, 'local-workspace.json'), 'utf8')));
      if (parsed.success && parsed.data.apiKey === apiKey) return parsed.data.workspaceId;
    } catch {
      // missing or unreadable: try the next place
    }
  }
  return null;
}
