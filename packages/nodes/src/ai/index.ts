/**
 * Shared AI helpers of the node catalog: which provider a step uses (credential or workspace default),
 * the per-step OpenAI client + Agents SDK provider, the versioned price table, usage/budget accounting
 * and the translation of provider errors into Outrun errors.
 */
export * from './ai-provider';
export * from './create-model-provider';
export * from './guard-provider-url';
export * from './price-catalogue';
export * from './pricing';
export * from './step-usage';
export * from './translate-ai-error';
