'use client';
/**
 * Loads the runtime configuration (`/config.json`), applies the user's overrides from Settings
 * (localStorage) and provides the API client to every page.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createApi, type Api } from './api';

export interface RuntimeConfig {
  apiUrl: string;
  publicApiUrl: string;
  /** Always null from `/config.json` now (the local key stays on the server); kept for older servers. */
  apiKey: string | null;
  /** True when the `/gateway` proxy authenticates with the server's local key (embedded mode). */
  serverAuth?: boolean;
  workspaceId: string | null;
  /** Link to a run's trace with `{runId}` in it (OUTRUN_TRACE_URL_TEMPLATE), or null. */
  traceUrlTemplate?: string | null;
}

const STORAGE_KEY = 'outrun.connection';

export interface ConnectionOverride {
  apiKey?: string;
  workspaceId?: string;
}

interface ApiContextValue {
  config: RuntimeConfig | null;
  /** Null until configured (missing key or workspace). */
  api: Api | null;
  loadError: string | null;
  override: ConnectionOverride;
  setOverride: (next: ConnectionOverride) => void;
}

const ApiContext = createContext<ApiContextValue | null>(null);

function readOverride(): ConnectionOverride {
  try {
    const raw = window.localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as ConnectionOverride) : {};
  } catch {
    return {};
  }
}

/** Wraps the app; pages read the client with `useApi()`. */
export function ApiProvider({ children }: { children: ReactNode }) {
  const [config, setConfig] = useState<RuntimeConfig | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [override, setOverrideState] = useState<ConnectionOverride>({});

  useEffect(() => {
    setOverrideState(readOverride());
    fetch('/config.json', { cache: 'no-store' })
      .then(async (r) => {
        if (!r.ok) throw new Error(`config.json answered ${r.status}`);
        setConfig((await r.json()) as RuntimeConfig);
      })
      .catch((e: unknown) => setLoadError(e instanceof Error ? e.message : 'cannot load the configuration'));
  }, []);

  const setOverride = useCallback((next: ConnectionOverride) => {
    const clean: ConnectionOverride = {};
    if (next.apiKey) clean.apiKey = next.apiKey.trim();
    if (next.workspaceId) clean.workspaceId = next.workspaceId.trim();
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(clean));
    setOverrideState(clean);
  }, []);

  const api = useMemo(() => {
    if (!config) return null;
    const apiKey = override.apiKey ?? config.apiKey;
    const workspaceId = override.workspaceId ?? config.workspaceId;
    if ((!apiKey && !config.serverAuth) || !workspaceId) return null;
    const origin = typeof window === 'undefined' ? '' : window.location.origin;
    const baseUrl = config.apiUrl.startsWith('/') ? `${origin}${config.apiUrl}` : config.apiUrl;
    return createApi({ baseUrl, apiKey: apiKey ?? null, workspaceId });
  }, [config, override]);

  const value = useMemo(() => ({ config, api, loadError, override, setOverride }), [config, api, loadError, override, setOverride]);
  return <ApiContext.Provider value={value}>{children}</ApiContext.Provider>;
}

/** The API context; throws outside `ApiProvider` (a programming error). */
export function useApiContext(): ApiContextValue {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useApiContext outside ApiProvider');
  return value;
}
