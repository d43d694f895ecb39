/** The node catalog for the editor's palette and forms. */
import { describeCatalog } from '@outrun/nodes';
import { NodeDescription } from '@outrun/schemas';
import { z } from 'zod';
import { defineRoute, type Route } from '../http/route';
import type { ResolvedDeps } from '../deps';

export function nodeRoutes(deps: ResolvedDeps): Route[] {
  // The catalog is fixed for the life of the process: describe it once.
  let described: unknown;
  return [
    defineRoute({
      method: 'get', path: '/api/nodes', summary: 'Node types: label, category, handles and the JSON Schema of their parameters', tag: 'nodes', auth: 'public', permission: 'public',
      responses: { 200: { description: 'The catalog', schema: z.array(NodeDescription) } },
      async handle() {
        described ??= describeCatalog(deps.catalog);
        return { status: 200, body: described, headers: { 'Cache-Control': 'public, max-age=60' } };
      },
    }),
  ];
}
