import { type DataChangeConfig, type EventSourceConfig, type ScheduleConfig, Trigger, type WebhookConfig, type Workflow } from '@outrun/schemas';
import { checkSchedule, type ParsedCron } from '@outrun/engine';
import type { WorkflowStore } from '@outrun/store';
import type { Logger } from '@outrun/config';

interface TriggerOwner {
  workspaceId: string;
  workflowId: string;
  workflowVersion: number;
  triggerId: string;
}

export interface WebhookEntry extends TriggerOwner {
  config: WebhookConfig;
  methods: ReadonlySet<string>;
  /** `/webhook/:ws/:trigger`, the run's `triggeredBy.source`. */
  source: string;
}

export interface ScheduleEntry extends TriggerOwner {
  config: ScheduleConfig;
  cron: ParsedCron;
  /** Changes when the schedule itself changes (expression, zone), not on unrelated edits. */
  signature: string;
}

export interface DataEntry extends TriggerOwner {
  config: DataChangeConfig;
}

/** An event-source trigger (`postgres.newRows@1`, …) the listener's source supervisor keeps open. */
export interface SourceEntry extends TriggerOwner {
  config: EventSourceConfig;
}

export interface TriggerIndexSnapshot {
  /** Event-source triggers by `${workspaceId}/${triggerId}`. */
  sources: ReadonlyMap<string, SourceEntry>;
  webhooks: ReadonlyMap<string, WebhookEntry>;
  schedules: ReadonlyMap<string, ScheduleEntry>;
  /** By `${workspaceId}/${collection}`. */
  data: ReadonlyMap<string, readonly DataEntry[]>;
}

export const triggerKey = (workspaceId: string, triggerId: string): string => `${workspaceId}/${triggerId}`;

/** Why a trigger was left out of the index (reported as the trigger's last error). */
export interface IndexProblem {
  workspaceId: string;
  triggerId: string;
  code: string;
  message: string;
}

/** The engine's one schedule check, the same the API runs when the workflow is saved. */
function validateSchedule(config: ScheduleConfig): { cron: ParsedCron } | { message: string } {
  const checked = checkSchedule(config);
  return checked.ok ? { cron: checked.cron } : { message: checked.problems.map((p) => p.message).join('; ') };
}

function addTrigger(workflow: Workflow, trigger: Trigger, out: { sources: Map<string, SourceEntry>; webhooks: Map<string, WebhookEntry>; schedules: Map<string, ScheduleEntry>; data: Map<string, DataEntry[]> }, problems: IndexProblem[]): void {
  const owner: TriggerOwner = { workspaceId: workflow.workspaceId, workflowId: workflow.id, workflowVersion: workflow.version, triggerId: trigger.id };
  const key = triggerKey(owner.workspaceId, trigger.id);
  if (trigger.type === 'webhook') {
    out.webhooks.set(key, { ...owner, config: trigger.config, methods: new Set(trigger.config.methods), source: `/webhook/${key}` });
  } else if (trigger.type === 'schedule') {
    const checked = validateSchedule(trigger.config);
    if ('message' in checked) {
      problems.push({ workspaceId: owner.workspaceId, triggerId: trigger.id, code: 'OUT_ERR_INVALID_CRON', message: checked.message });
      return;
    }
    const signature = `${trigger.config.cron}|${trigger.config.timezone}|${owner.workflowId}`;
    out.schedules.set(key, { ...owner, config: trigger.config, cron: checked.cron, signature });
  } else if (trigger.type === 'data_change') {
    const dataKey = `${owner.workspaceId}/${trigger.config.collection}`;
    const list = out.data.get(dataKey) ?? [];
    list.push({ ...owner, config: trigger.config });
    out.data.set(dataKey, list);
  } else if (trigger.type === 'event_source') {
    out.sources.set(key, { ...owner, config: trigger.config });
  }
}

/** Builds the index from active workflows; triggers that fail their schema or validation are skipped and reported. */
export function buildTriggerIndex(workflows: readonly Workflow[]): { snapshot: TriggerIndexSnapshot; problems: IndexProblem[] } {
  const out = { sources: new Map<string, SourceEntry>(), webhooks: new Map<string, WebhookEntry>(), schedules: new Map<string, ScheduleEntry>(), data: new Map<string, DataEntry[]>() };
  const problems: IndexProblem[] = [];
  for (const workflow of workflows) {
    if (workflow.status !== 'active') continue;
    for (const raw of workflow.triggers) {
      const parsed = Trigger.safeParse(raw);
      if (!parsed.success) {
        problems.push({ workspaceId: workflow.workspaceId, triggerId: String((raw as { id?: unknown }).id ?? '?'), code: 'OUT_ERR_TRIGGER_INVALID', message: parsed.error.message });
        continue;
      }
      if (parsed.data.active) addTrigger(workflow, parsed.data, out, problems);
    }
  }
  return { snapshot: out, problems };
}

export interface TriggerIndexOptions {
  /** How often the workflows change counter is polled. @default 250 */
  reloadIntervalMs?: number;
  logger: Logger;
  /** Called after every (re)load with the new snapshot. */
  onReload?: (snapshot: TriggerIndexSnapshot, problems: IndexProblem[]) => void | Promise<void>;
}

/**
 * The listener's in-memory view of every active workflow's triggers. Follows the store: polls
 * `workflowsChangeCounter()` and reloads when it moves, so activate/pause/edit take effect within a second.
 */
export class TriggerIndex {
  private current: TriggerIndexSnapshot = { sources: new Map(), webhooks: new Map(), schedules: new Map(), data: new Map() };
  private counter = -1;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private lastPollError = 0;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly workflows: WorkflowStore,
    private readonly options: TriggerIndexOptions,
  ) {}

  get snapshot(): TriggerIndexSnapshot {
    return this.current;
  }

  webhook(workspaceId: string, triggerId: string): WebhookEntry | undefined {
    return this.current.webhooks.get(triggerKey(workspaceId, triggerId));
  }

  dataTriggers(workspaceId: string, collection: string): readonly DataEntry[] {
    return this.current.data.get(`${workspaceId}/${collection}`) ?? [];
  }

  /** Loads now (the counter is read first, so an edit racing the load is picked up by the next poll). */
  reload(): Promise<void> {
    const run = this.load().finally(() => {
      if (this.inFlight === run) this.inFlight = undefined;
    });
    this.inFlight = run;
    return run;
  }

  /**
   * Returns once the index reflects every workflow change committed before the call (what "activate returns
   * when the webhook is live" needs). Cheap when nothing changed: one counter read; concurrent callers share a
   * reload that starts after their write.
   */
  async catchUp(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      const counter = await this.workflows.workflowsChangeCounter();
      if (counter === this.counter) return;
      // A reload already running may have read the counter before our change: wait for it, then check again.
      if (this.inFlight) await this.inFlight.catch(() => undefined);
      else await this.reload();
    }
  }

  private async load(): Promise<void> {
    const counter = await this.workflows.workflowsChangeCounter();
    const active = await this.workflows.listActiveWorkflows();
    const { snapshot, problems } = buildTriggerIndex(active);
    this.current = snapshot;
    this.counter = counter;
    await this.options.onReload?.(snapshot, problems);
  }

  /** Starts polling (after an initial `reload()` by the caller). */
  start(): void {
    this.stopped = false;
    this.schedulePoll();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.poll(), this.options.reloadIntervalMs ?? 250);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    try {
      if ((await this.workflows.workflowsChangeCounter()) !== this.counter) await this.reload();
    } catch (err) {
      // A store outage keeps the last good index; log at most every 10 s.
      if (Date.now() - this.lastPollError > 10_000) {
        this.lastPollError = Date.now();
        this.options.logger.warn({ err }, 'trigger index reload failed; keeping the previous index');
      }
    } finally {
      this.schedulePoll();
    }
  }
}
