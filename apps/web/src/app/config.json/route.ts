import { NextResponse } from 'next/server';
import { readWebEnv } from '../../lib/server-env';

export const dynamic = 'force-dynamic';

/**
 * Runtime configuration for the browser: where the API is and the local user's key.
 * The browser calls the gateway through the same-origin `/gateway` proxy (no CORS needed);
 * `publicApiUrl` is what webhook URLs and curl examples show.
 */
export function GET(): NextResponse {
  const env = readWebEnv();
  return NextResponse.json(
    {
      apiUrl: '/gateway',
      publicApiUrl: (env.WORKFLOW_PUBLIC_API_URL ?? env.WORKFLOW_API_URL).replace(/\/$/, ''),
      apiKey: env.OUTRUN_API_KEY ?? null,
      workspaceId: env.OUTRUN_WORKSPACE_ID ?? null,
    },
    { headers: { 'cache-control': 'no-store' } },
  );
}
