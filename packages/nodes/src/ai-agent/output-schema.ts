/**
 * Structured output: the node's JSON Schema becomes a zod object (zod 4's `z.fromJSONSchema`), which the
 * Agents SDK sends as the response format and uses to validate the model's final answer.
 */
import { z } from 'zod';
import { ErrorCode, NonRetriableError } from '@outrun/schemas';

const cache = new WeakMap<object, z.ZodObject>();

/** The zod object for `schema`; a schema zod cannot convert, or that is not an object, is a params error. */
export function outputSchemaToZod(schema: Record<string, unknown>): z.ZodObject {
  const hit = cache.get(schema);
  if (hit) return hit;
  let converted: z.ZodType;
  try {
    converted = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch (cause) {
    throw new NonRetriableError(ErrorCode.INVALID_NODE_PARAMS, `outputSchema is not a usable JSON Schema: ${String(cause)}`, {
      details: [{ path: 'data.outputSchema', message: cause instanceof Error ? cause.message : String(cause) }],
      cause,
    });
  }
  if (!(converted instanceof z.ZodObject)) {
    throw new NonRetriableError(ErrorCode.INVALID_NODE_PARAMS, 'outputSchema must describe an object', {
      details: [{ path: 'data.outputSchema', message: 'expected type "object" with properties' }],
    });
  }
  cache.set(schema, converted);
  return converted;
}
