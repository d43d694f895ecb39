import { NextResponse } from 'next/server';
import { workspaceOfLocalKey } from '../../lib/local-workspace';
import { readWebEnv } from '../../lib/server-env';

export const dynamic = 'force-dynamic';

/**
 * Runtime configuration for the browser: where the API is and which workspace is the local user's. The local API
 * key itself never leaves the server: `serverAuth: true` says the same-origin `/gateway` proxy authenticates the
 * browser's requests with it (so a page that reads this file learns no secret). `publicApiUrl` is what webhook
 * URLs and curl examples show.
 */
export async function GET(): Promise<NextResponse> {
  const env = readWebEnv();
  const workspaceId = env.OUTRUN_WORKSPACE_ID ?? (env.OUTRUN_API_KEY ? await workspaceOfLocalKey(env.OUTRUN_API_KEY, env.OUTRUN_DATA_DIR) : null);
  return NextResponse.json(
    {
      apiUrl: '/gateway',
      publicApiUrl: (env.WORKFLOW_PUBLIC_API_URL ?? env.WORKFLOW_API_URL).replace(/\/$/, ''),
      apiKey: null,
      serverAuth: env.OUTRUN_API_KEY !== undefined,
      workspaceId,
      traceUrlTemplate: env.OUTRUN_TRACE_URL_TEMPLATE ?? null,
    },
    { headers: { 'cache-control': 'no-store' } },
  );
}
