/**
 * Builds the OpenAPI 3.1 document from the route table and its zod schemas (`z.toJSONSchema`).
 * Each schema's local `$defs` are hoisted into `components.schemas` so every `$ref` resolves
 * from the document root.
 */
import { z } from 'zod';
import { toOpenApiPath, type Route } from './route';

type Json = Record<string, unknown>;

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

/** Extra operations not in the route table (the proxied webhook path). */
export interface ExtraOperation {
  method: string;
  path: string;
  operation: Json;
}

const operationId = (route: Route): string =>
  `${route.method}${route.path.split('/').filter(Boolean).map((s) => s.replace(/^:/, 'by-')).map((s) => s.replace(/(^|[-_])([a-z0-9])/gi, (_m, _d, c: string) => c.toUpperCase())).join('')}`;

class SchemaHoister {
  readonly components: Record<string, Json> = {};

  ref(schema: z.ZodType, name: string, io: 'input' | 'output'): Json {
    const generated = z.toJSONSchema(schema, { io, unrepresentable: 'any', cycles: 'ref', reused: 'inline' }) as Json;
    const defs = (generated.$defs ?? {}) as Record<string, Json>;
    delete generated.$defs;
    delete generated.$schema;
    const target = (key: string | null) => `#/components/schemas/${key === null ? name : `${name}_${key}`}`;
    const rewrite = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(rewrite);
      if (typeof node !== 'object' || node === null) return node;
      const out: Json = {};
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string') out[k] = v === '#' ? target(null) : v.startsWith('#/$defs/') ? target(v.slice(8)) : v;
        else out[k] = rewrite(v);
      }
      return out;
    };
    this.components[name] = rewrite(generated) as Json;
    for (const [key, def] of Object.entries(defs)) this.components[`${name}_${key}`] = rewrite(def) as Json;
    return { $ref: target(null) };
  }
}

function parameters(route: Route): Json[] {
  const out: Json[] = [];
  const add = (schema: z.ZodType | undefined, where: 'path' | 'query') => {
    if (!(schema instanceof z.ZodObject)) return;
    for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const json = z.toJSONSchema(field, { io: 'input', unrepresentable: 'any' }) as Json;
      delete json.$schema;
      const required = where === 'path' || !field.safeParse(undefined).success;
      out.push({ name, in: where, required, schema: json });
    }
  };
  add(route.params, 'path');
  add(route.query, 'query');
  return out;
}

function operation(route: Route, hoister: SchemaHoister): Json {
  const id = operationId(route);
  const op: Json = { operationId: id, summary: route.summary, tags: [route.tag] };
  if (route.extension) op['x-outrun-extension'] = true;
  if (route.auth === 'workspace') op.security = [{ apiKey: [] }];
  else if (route.auth === 'admin') op.security = [{ adminToken: [] }];
  else op.security = [];
  const params = parameters(route);
  if (params.length > 0) op.parameters = params;
  if (route.body) {
    op.requestBody = { required: true, content: { 'application/json': { schema: hoister.ref(route.body, `${id}Body`, 'input') } } };
  }
  const responses: Json = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const entry: Json = { description: spec.description };
    if (spec.schema) entry.content = { [spec.contentType ?? 'application/json']: { schema: hoister.ref(spec.schema, `${id}${status}`, 'output') } };
    else if (spec.contentType) entry.content = { [spec.contentType]: { schema: { type: 'string' } } };
    responses[status] = entry;
  }
  op.responses = responses;
  return op;
}

/** The OpenAPI document of `routes` (+ `extra` operations). */
export function buildOpenApi(routes: readonly Route[], info: OpenApiInfo, extra: readonly ExtraOperation[] = []): Json {
  const hoister = new SchemaHoister();
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const path = toOpenApiPath(route.path);
    paths[path] ??= {};
    paths[path][route.method] = operation(route, hoister);
  }
  for (const op of extra) {
    paths[op.path] ??= {};
    paths[op.path]![op.method] = op.operation;
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: hoister.components,
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key of the workspace in the path' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'OUTRUN_ADMIN_TOKEN (creates workspaces only)' },
      },
    },
  };
}
