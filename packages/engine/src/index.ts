/**
 * @outrun/engine — pure workflow execution: graph validation, planning, the run loop, retries,
 * `{{ }}` JSONata expressions and resume from recorded steps. No I/O (lint-enforced): time, randomness,
 * HTTP and storage arrive through ports.
 */
export type * from './types';
export { executeWorkflow } from './run/execute-workflow';
export { validateWorkflow, type ValidateWorkflowOptions, type WorkflowToValidate } from './validate/validate-workflow';
export { evaluateTemplate, resolveParams, containsTemplates, type TemplateScope } from './expressions/evaluate-template';
export { parseTemplate, hasTemplate, type ParsedTemplate, type TemplatePart } from './expressions/parse-template';
export { compileExpression, describeJsonataError, EVALUATION_LIMITS, type CompiledExpression } from './expressions/compile-expression';
export { evaluateExpression, expressionSyntaxError } from './expressions/evaluate-expression';
export { toJsonValue } from './expressions/to-json-value';
export { EXPRESSION_LIMITS } from './expressions/bounded-builtins';
export {
  checkSafeRegex, safeTest, safeMatches, Re2RegExp, SafeRegexError, type SafeMatch,
  MAX_REGEX_INPUT_LENGTH, MAX_REGEX_PATTERN_LENGTH, MAX_REGEX_WORK,
} from './expressions/safe-regex';
export { computeBackoff, type BackoffPolicy } from './retry/compute-backoff';
export { decideRetry, isRetriable, type RetryDecision, type RetryPolicyLike } from './retry/should-retry';
export { buildPlan, type ExecutionPlan } from './plan/build-plan';
export { systemClock, mathRandom, seededRandom } from './clock/system-clock';
export { createFakeClock, type FakeClock, type FakeClockOptions } from '@outrun/schemas';
export { parseCron, isValidTimeZone, nextOccurrences, missedOccurrences, nextFireTimes, validateSchedule, checkSchedule, type ScheduleProblem, type ParsedCron, type ParseCronResult } from './cron';
