import { WorkflowInput, type WorkflowInputRaw } from '@outrun/schemas';

/** Closed set of template categories (the gallery groups by them). */
export const TemplateCategory = {
  ai: 'ai',
  webhooks: 'webhooks',
  monitoring: 'monitoring',
  data: 'data',
  payments: 'payments',
  forms: 'forms',
} as const;
export type TemplateCategory = (typeof TemplateCategory)[keyof typeof TemplateCategory];

/** A ready-made workflow: typed data, instantiated into a workspace as a draft. */
export interface Template {
  id: string;
  name: string;
  description: string;
  category: TemplateCategory;
  /** The workflow body, defaults applied (parsed with `WorkflowInput`). */
  workflow: WorkflowInput;
}

/** Parses the workflow body at definition time, so a broken template fails on import, not in a user's workspace. */
export function defineTemplate(template: Omit<Template, 'workflow'> & { workflow: WorkflowInputRaw }): Template {
  return { ...template, workflow: WorkflowInput.parse(template.workflow) };
}
