import type { JsonValue } from './common';

/**
 * The subset of JSON Schema (draft 2020-12) that node parameter schemas use (`NodeDescription.paramsSchema`)
 * and the editor's form generator understands. A type only: the schemas are produced by zod's JSON Schema export.
 */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: JsonValue[];
  const?: JsonValue;
  default?: JsonValue;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  [key: string]: unknown;
}
