import { describe, expect, it } from 'vitest';
import type { JsonValue } from '@outrun/schemas';
import { runNode } from '../testing/run-node';
import { dataWriteNode } from './index';

type Doc = { id: string; data: Record<string, JsonValue> };

function memoryData() {
  const docs: Record<string, Doc[]> = {};
  let n = 0;
  return {
    docs,
    service: {
      async find(collection: string, filter: Record<string, JsonValue>, limit = 50) {
        return (docs[collection] ?? []).filter((d) => Object.entries(filter).every(([k, v]) => d.data[k] === v)).slice(0, limit);
      },
      async insert(collection: string, data: Record<string, JsonValue>) {
        n += 1;
        (docs[collection] ??= []).push({ id: `d${n}`, data });
        return { id: `d${n}` };
      },
      async update(collection: string, id: string, patch: Record<string, JsonValue>) {
        const doc = (docs[collection] ?? []).find((d) => d.id === id);
        if (!doc) return false;
        doc.data = { ...doc.data, ...patch };
        return true;
      },
    },
  };
}

describe('data-write node', () => {
  it('inserts, updates by id and upserts by matching fields', async () => {
    const mem = memoryData();
    const services = { data: mem.service };
    const inserted = await runNode(dataWriteNode, { params: { collection: 'leads', data: { email: 'a@x.io', score: 1 } }, services });
    expect(inserted.output).toEqual({ id: 'd1', operation: 'insert', collection: 'leads' });
    await runNode(dataWriteNode, { params: { collection: 'leads', operation: 'update', documentId: 'd1', data: { score: 2 } }, services });
    expect(mem.docs.leads?.[0]?.data).toEqual({ email: 'a@x.io', score: 2 });
    const upserted = await runNode(dataWriteNode, { params: { collection: 'leads', operation: 'upsert', matchOn: ['email'], data: { email: 'a@x.io', score: 3 } }, services });
    expect(upserted.output).toMatchObject({ id: 'd1', operation: 'update' });
    const fresh = await runNode(dataWriteNode, { params: { collection: 'leads', operation: 'upsert', matchOn: ['email'], data: { email: 'b@x.io' } }, services });
    expect(fresh.output).toMatchObject({ id: 'd2', operation: 'insert' });
  });

  it('rejects update without documentId and fails on a missing document', async () => {
    const mem = memoryData();
    await expect(runNode(dataWriteNode, { params: { collection: 'leads', operation: 'update', data: {} }, services: { data: mem.service } })).rejects.toMatchObject({
      details: [expect.objectContaining({ path: expect.stringContaining('documentId') })],
    });
    await expect(
      runNode(dataWriteNode, { params: { collection: 'leads', operation: 'update', documentId: 'nope', data: {} }, services: { data: mem.service } }),
    ).rejects.toThrow(/not found/);
  });
});
