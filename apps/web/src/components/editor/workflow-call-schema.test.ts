import { describe, expect, it } from 'vitest';
import { withCalledInputSchema } from './workflow-call-schema';

describe('withCalledInputSchema', () => {
  it("puts the called workflow's input schema in place of the free JSON input field", () => {
    const params = { type: 'object', properties: { workflowId: { type: 'string' }, input: {} } };
    const input = { type: 'object', required: ['email'], properties: { email: { type: 'string' } } };
    expect(withCalledInputSchema(params, input).properties?.input).toEqual(input);
    expect(withCalledInputSchema(params, undefined)).toBe(params);
    expect(withCalledInputSchema(params, [1])).toBe(params);
  });
});
