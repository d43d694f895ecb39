/**
 * Naming the MCP client in `triggeredBy` on a stateless server. `clientInfo` (name, version) is sent once,
 * in `initialize`; the server answers it with an `Mcp-Session-Id` that carries that identity, and every
 * later request of the client sends it back. Nothing is kept in memory, so any API replica serves any
 * request. The identity is self-declared by the client either way: it names, it never authorizes (every
 * request is authenticated by its own API key).
 */
import { z } from 'zod';

const PREFIX = 'c1.';
const ClientInfo = z.object({ name: z.string().min(1).max(100), version: z.string().max(50).default('') });
export type McpClientIdentity = z.infer<typeof ClientInfo>;

/** The `Mcp-Session-Id` for a client's `initialize` params (visible ASCII only, as the spec requires). */
export function sessionIdFor(initializeParams: unknown): string {
  const info = ClientInfo.safeParse((initializeParams as { clientInfo?: unknown } | undefined)?.clientInfo);
  const identity = info.success ? info.data : { name: 'unknown', version: '' };
  return PREFIX + Buffer.from(JSON.stringify(identity)).toString('base64url');
}

/** The identity a session id carries, or null for a missing or foreign one. */
export function identityOf(sessionId: string | undefined): McpClientIdentity | null {
  if (sessionId === undefined || !sessionId.startsWith(PREFIX) || sessionId.length > 400) return null;
  try {
    const parsed = ClientInfo.safeParse(JSON.parse(Buffer.from(sessionId.slice(PREFIX.length), 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** `triggeredBy.source` of a run started by an MCP client: `mcp:<name>/<version>`. */
export function triggerSource(identity: McpClientIdentity | null): string {
  if (identity === null) return 'mcp:unknown';
  return `mcp:${identity.name}${identity.version === '' ? '' : `/${identity.version}`}`;
}
