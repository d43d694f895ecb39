/**
 * `data-write`: inserts into, updates or upserts a document of a workspace data collection through
 * `ctx.services.data`, so the write appears on the change feed like an API write does.
 * Tip: a `data_change` trigger on the same collection should listen to `insert` only when this node
 * updates documents there, or the update starts the workflow again.
 */
import { z } from 'zod';
import { CollectionName, ErrorCode, JsonValue, NonRetriableError } from '@outrun/schemas';
import { defineNode, IN, OUT } from '../define-node';

export const DataWriteParams = z
  .strictObject({
    collection: CollectionName.describe('Data collection to write to'),
    operation: z.enum(['insert', 'update', 'upsert']).default('insert').describe('insert a new document, update one by id, or upsert by matching fields'),
    documentId: z.string().min(1).optional().describe('update: id of the document (usually {{ trigger.documentId }})'),
    matchOn: z.array(z.string().min(1)).max(10).default([]).describe('upsert: fields of `data` whose values identify the document'),
    data: z.record(z.string(), JsonValue).describe('Fields to write (may use {{ expressions }}); update and upsert merge them shallowly'),
  })
  .superRefine((p, issue) => {
    if (p.operation === 'update' && p.documentId === undefined) issue.addIssue({ code: 'custom', path: ['documentId'], message: 'required for update' });
    if (p.operation === 'upsert' && p.matchOn.length === 0) issue.addIssue({ code: 'custom', path: ['matchOn'], message: 'name at least one field for upsert' });
  });
export type DataWriteParams = z.infer<typeof DataWriteParams>;

export const dataWriteNode = defineNode({
  type: 'data-write',
  label: 'Write data',
  description: 'Inserts, updates or upserts a document in a workspace data collection.',
  category: 'data',
  icon: 'database',
  params: DataWriteParams,
  inputs: IN,
  outputs: OUT,
  async execute(ctx) {
    const data = ctx.services.data;
    if (!data) throw new NonRetriableError(ErrorCode.NODE_FAILED, 'Data collections are not available to this run.');
    const { collection, operation, documentId, matchOn } = ctx.params;
    const fields = ctx.params.data;
    if (operation === 'insert') {
      const { id } = await data.insert(collection, fields);
      return { output: { id, operation: 'insert', collection } };
    }
    if (operation === 'update') {
      const found = await data.update(collection, documentId as string, fields);
      if (!found) throw new NonRetriableError(ErrorCode.NODE_FAILED, `Document ${String(documentId)} not found in ${collection}.`);
      return { output: { id: documentId as string, operation: 'update', collection } };
    }
    const filter = Object.fromEntries(matchOn.map((field) => [field, fields[field] ?? null]));
    const [existing] = await data.find(collection, filter, 1);
    if (existing) {
      await data.update(collection, existing.id, fields);
      return { output: { id: existing.id, operation: 'update', collection } };
    }
    const { id } = await data.insert(collection, fields);
    return { output: { id, operation: 'insert', collection } };
  },
});
