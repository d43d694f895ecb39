/**
 * @outrun/schemas — the single source of truth for every shape that crosses a boundary:
 * workflow and run documents (field names as the seed), triggers, API DTOs, job payloads, errors.
 * A zod schema and its inferred type share one name.
 */
export * from './common';
export { systemClock, type Clock } from './clock';
export * from './fake-clock';
export * from './errors';
export * from './http-errors';
export * from './graph';
export * from './trigger';
export * from './workflow';
export * from './run';
export * from './workspace';
export * from './credential-hosts';
export * from './local-host';
export * from './queue';
export * from './node-catalog';
export * from './connector';
export * from './stats';
export * from './mcp';
export * from './ai-settings';
export * from './account';
export * from './api-responses';
export type * from './json-schema';
export * from './role-permissions';
export { findTemplateClose } from './template-syntax';
