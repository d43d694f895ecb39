import type { JsonObject } from '@outrun/schemas';
import type { HttpClient, NodeServices } from '@outrun/engine';
import type { Store } from '@outrun/store';

/**
 * The services a run's nodes get, scoped to the run's workspace: nothing of another workspace is reachable
 * whatever id a node passes (the store's tenancy rule does the rest).
 */
export function createNodeServices(store: Store, workspaceId: string, http: HttpClient | undefined, extra: Partial<NodeServices> = {}): NodeServices {
  const services: NodeServices = {
    ...extra,
    credentials: {
      get: (credentialId) => store.credentials.getSecret(workspaceId, credentialId),
      allowedHosts: async (credentialId) => (await store.credentials.getInfo(workspaceId, credentialId))?.allowedHosts ?? null,
    },
    data: {
      async find(collection, filter, limit) {
        const page = await store.data.find(workspaceId, collection, { filter: filter as JsonObject, ...(limit !== undefined ? { limit } : {}) });
        return page.items.map((doc) => ({ id: doc.id, data: doc.data }));
      },
      async insert(collection, data) {
        const doc = await store.data.insert(workspaceId, collection, data as JsonObject);
        return { id: doc.id };
      },
      async update(collection, id, patch) {
        return (await store.data.update(workspaceId, collection, id, patch as JsonObject)) !== null;
      },
    },
  };
  if (http) services.http = http;
  return services;
}
