/** Event-source triggers checked on save like node params: the source must be installed and its params valid. */
import { resolveTrigger, type Connector } from '@outrun/connector-kit';
import { ErrorCode, type WorkflowInput } from '@outrun/schemas';

export interface TriggerProblem {
  path: string;
  message: string;
  code: string;
}

/** Problems of every `event_source` trigger (none when no connector is installed: nothing to check against). */
export function eventSourceProblems(workflow: Pick<WorkflowInput, 'triggers'>, connectors: readonly Connector[] | undefined): TriggerProblem[] {
  if (!connectors || connectors.length === 0) return [];
  const problems: TriggerProblem[] = [];
  workflow.triggers.forEach((trigger, i) => {
    if (trigger.type !== 'event_source') return;
    const at = `triggers.${i}.config`;
    let resolved;
    try {
      resolved = resolveTrigger(connectors, trigger.config.source);
    } catch (err) {
      problems.push({ path: `${at}.source`, message: (err as Error).message, code: ErrorCode.CONNECTOR_NOT_INSTALLED });
      return;
    }
    const parsed = resolved.trigger.params.safeParse(trigger.config.params);
    if (!parsed.success) for (const issue of parsed.error.issues) problems.push({ path: [`${at}.params`, ...issue.path.map(String)].join('.'), message: issue.message, code: ErrorCode.TRIGGER_INVALID });
  });
  return problems;
}
