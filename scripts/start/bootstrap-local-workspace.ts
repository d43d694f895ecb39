import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { WorkflowInput } from '@outrun/schemas';
import type { Store } from '@outrun/store';
import { sampleWorkflow } from './sample-workflow';

/** What the embedded mode remembers about its local user, next to the SQLite file (mode 0600). */
const LocalWorkspaceFile = z.object({ workspaceId: z.string(), apiKey: z.string(), sampleWorkflowId: z.string() });
export type LocalWorkspace = z.infer<typeof LocalWorkspaceFile>;

/**
 * First start: creates the local workspace, an API key and the sample workflow (active).
 * Later starts: reuses them. The key is kept in the data dir because only its hash is in the store.
 */
export async function bootstrapLocalWorkspace(store: Store, dataDir: string): Promise<LocalWorkspace & { created: boolean }> {
  const file = join(dataDir, 'local-workspace.json');
  const existing = await readFile(file, 'utf8').then((text) => LocalWorkspaceFile.parse(JSON.parse(text)), () => null);
  if (existing && (await store.workspaces.verifyApiKey(existing.apiKey))) return { ...existing, created: false };

  const workspace = await store.workspaces.createWorkspace({ name: 'Local' });
  const { apiKey } = await store.workspaces.createApiKey(workspace.id, { name: 'local (npm start)' });
  const workflow = await store.workflows.createWorkflow(workspace.id, WorkflowInput.parse(sampleWorkflow));
  await store.workflows.setWorkflowStatus(workspace.id, workflow.id, 'active');
  const local: LocalWorkspace = { workspaceId: workspace.id, apiKey, sampleWorkflowId: workflow.id };
  await writeFile(file, JSON.stringify(local, null, 2), { mode: 0o600 });
  return { ...local, created: true };
}
