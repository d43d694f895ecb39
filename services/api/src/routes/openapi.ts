/** `GET /api/openapi.json`: generated from the same route table that serves requests. */
import { defineRoute, type Route } from '../http/route';
import { buildOpenApi } from '../http/openapi';
import { WEBHOOK_OPERATIONS } from '../http/webhook-proxy';

export function openApiRoute(routes: () => readonly Route[]): Route {
  let document: unknown;
  return defineRoute({
    method: 'get', path: '/api/openapi.json', summary: 'This document', tag: 'meta', auth: 'public', permission: 'public',
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
    async handle() {
      document ??= buildOpenApi(routes(), { title: 'Outrun API', version: '1.0.0', description: 'See docs/api.md. Operations marked x-outrun-extension are beyond /work/shared/API.md v1.' }, WEBHOOK_OPERATIONS);
      return { status: 200, body: document };
    },
  });
}
