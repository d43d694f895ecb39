/**
 * Worker entry for user expressions: `{{ }}` templates and whole JSONata expressions, evaluated with the
 * engine's own functions (same RE2 regexes, bounded built-ins and guardrails), plain JSON out.
 */
import { evaluateExpression, evaluateTemplate, toJsonValue, type TemplateScope } from '@outrun/engine';
import { serveTasks } from './serve-tasks';

serveTasks({
  template: async (payload) => {
    const { template, scope, path } = payload as { template: string; scope: TemplateScope; path?: string };
    return toJsonValue(await evaluateTemplate(template, scope, path));
  },
  expression: async (payload) => {
    const { source, scope, path } = payload as { source: string; scope: unknown; path?: string };
    return toJsonValue(await evaluateExpression(source, scope, path));
  },
});
