/**
 * The housekeeping port: what quotas, retention, version pruning and whole-workspace statistics need from a store,
 * beyond the CRUD ports. Both adapters implement it with plain queries (SQLite) and plain CRUD/aggregate (MongoDB).
 */
import type { WorkflowStatus } from '@outrun/schemas';

/** Current usage of one workspace, for quota checks. */
export interface WorkspaceUsage {
  /** Workflows by status (archived included: they keep their versions). */
  workflows: Record<WorkflowStatus, number>;
  apiKeys: number;
  /** Bytes of stored workflow definitions (every kept version) and data-collection documents (JSON text). */
  storedBytes: number;
}

export interface HousekeepingStore {
  usage(workspaceId: string): Promise<WorkspaceUsage>;
  /**
   * Deletes the oldest versions of a workflow beyond the `keep` newest. Never deletes the current version, nor a
   * version pinned by a run that is still queued or running (parked runs included).
   * @returns how many versions were deleted.
   */
  pruneWorkflowVersions(workspaceId: string, workflowId: string, keep: number): Promise<number>;
  /** Workflows of a workspace with more than `keep` stored versions (the pruning sweep's work list). */
  workflowsWithVersionsBeyond(workspaceId: string, keep: number): Promise<string[]>;
  /**
   * `finishedAt` of the `n`-th finished run of the workspace (1-based), oldest first or newest first; null when there
   * are fewer. Retention uses it to turn "keep N runs" and "at most `chunk` per call" into a cutoff for
   * `RunStore.deleteRunsFinishedBefore`.
   */
  finishedAtOfNth(workspaceId: string, n: number, order: 'oldest' | 'newest'): Promise<string | null>;
  /**
   * A lease named `name` for `ttlMs`, held by `holder`: true when this holder has it now (acquired, or renewed).
   * Exactly one process of an installation runs the housekeeper, whatever the mode.
   */
  tryLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives back space: SQLite `incremental_vacuum` of at most `maxPages` pages and a WAL checkpoint; MongoDB nothing. */
  reclaimSpace(maxPages: number): Promise<{ freedPages: number }>;
}
