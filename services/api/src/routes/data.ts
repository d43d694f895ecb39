/**
 * Workspace data collections. Every write goes through the DataStore, whose change feed drives
 * `data_change` triggers, so API edits start runs exactly like node writes do.
 */
import { CollectionName, DataDocument, Id, InsertedDocument, JsonObject, pageOf } from '@outrun/schemas';
import { z } from 'zod';
import { notFound } from '../http/errors';
import { defineRoute, type Route } from '../http/route';
import type { ResolvedDeps } from '../deps';
import { pageWithinBytes, jsonBytes } from '../http/byte-budget';
import { assertCanStore } from '../logic/quotas';
import { JsonQueryObject, ListQuery, WsParams, compactOptions, withErrors } from './common';

const CollectionParams = z.object({ ws: Id, collection: CollectionName });
const DocParams = CollectionParams.extend({ docId: Id });
const FindQuery = ListQuery.extend({ filter: JsonQueryObject.pipe(JsonObject).optional() });

export function dataRoutes(deps: ResolvedDeps): Route[] {
  const { data } = deps.store;
  const base = '/api/workspaces/:ws/data/:collection';
  return [
    defineRoute({
      method: 'get', path: '/api/workspaces/:ws/data', summary: 'Collection names of the workspace', tag: 'data', auth: 'workspace', permission: 'data:read', extension: true,
      params: WsParams,
      responses: withErrors({ 200: { description: 'Names', schema: z.object({ items: z.array(z.string()), nextCursor: z.null() }) } }),
      async handle({ params }) {
        return { status: 200, body: { items: await data.listCollections(params.ws), nextCursor: null } };
      },
    }),
    defineRoute({
      method: 'post', path: base, summary: 'Insert a JSON document (a change event)', tag: 'data', auth: 'workspace', permission: 'data:write',
      params: CollectionParams, body: JsonObject,
      responses: withErrors({ 201: { description: 'Inserted', schema: InsertedDocument } }, { 413: { description: 'Body over 2 MiB, or the stored-bytes quota reached (`OUT_ERR_QUOTA_STORED_BYTES`)' } }),
      async handle({ params, body }) {
        await assertCanStore(deps, params.ws, jsonBytes(body));
        const doc = await data.insert(params.ws, params.collection, body);
        return { status: 201, body: { id: doc.id } };
      },
    }),
    defineRoute({
      method: 'get', path: base, summary: 'List documents (`?filter=` JSON equality filter)', tag: 'data', auth: 'workspace', permission: 'data:read',
      params: CollectionParams, query: FindQuery,
      responses: withErrors({ 200: { description: 'A page of documents', schema: pageOf(DataDocument) } }),
      async handle({ params, query }) {
        const maxBytes = deps.limits.forWorkspace(params.ws).pageMaxBytes;
        return { status: 200, body: await pageWithinBytes((limit) => data.find(params.ws, params.collection, compactOptions({ ...query, limit, maxBytes })), query.limit, maxBytes) };
      },
    }),
    defineRoute({
      method: 'get', path: `${base}/:docId`, summary: 'One document', tag: 'data', auth: 'workspace', permission: 'data:read',
      params: DocParams,
      responses: withErrors({ 200: { description: 'The document', schema: DataDocument } }),
      async handle({ params }) {
        const doc = await data.get(params.ws, params.collection, params.docId);
        if (!doc) throw notFound('Document');
        return { status: 200, body: doc };
      },
    }),
    defineRoute({
      method: 'patch', path: `${base}/:docId`, summary: 'Shallow-merge fields into a document (a change event)', tag: 'data', auth: 'workspace', permission: 'data:write',
      params: DocParams, body: JsonObject,
      responses: withErrors({ 200: { description: 'The updated document', schema: DataDocument } }),
      async handle({ params, body }) {
        await assertCanStore(deps, params.ws, jsonBytes(body));
        const doc = await data.update(params.ws, params.collection, params.docId, body);
        if (!doc) throw notFound('Document');
        return { status: 200, body: doc };
      },
    }),
    defineRoute({
      method: 'delete', path: `${base}/:docId`, summary: 'Delete a document (a change event)', tag: 'data', auth: 'workspace', permission: 'data:write',
      params: DocParams,
      responses: withErrors({ 204: { description: 'Deleted' } }),
      async handle({ params }) {
        if (!(await data.delete(params.ws, params.collection, params.docId))) throw notFound('Document');
        return { status: 204 };
      },
    }),
  ];
}
