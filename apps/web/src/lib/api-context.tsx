'use client';
/**
 * Loads the runtime configuration (`/config.json`) and the signed-in person (`/api/auth/me`), and provides the API
 * client to every page. Pages authenticate by the session cookie only (docs/accounts.md): in embedded mode the
 * local owner is signed in automatically on the local origin; elsewhere a page without a session goes to /login.
 */
import { usePathname, useRouter } from 'next/navigation';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createApi, type Api } from './api';
import { can, type Permission } from './permissions';
import { chooseWorkspace, chosenWorkspace, loadSession, type Me, type MeWorkspace } from './session-api';

export interface RuntimeConfig {
  apiUrl: string;
  publicApiUrl: string;
  /** Always null: the web app never receives an API key. Kept for older servers. */
  apiKey: string | null;
  /** Embedded mode: `POST /local-sign-in` signs the local owner in (local origin only). */
  localSignIn?: boolean;
  /** The embedded local workspace (preferred when the person has not chosen one), or null. */
  workspaceId: string | null;
  /** Link to a run's trace with `{runId}` in it (OUTRUN_TRACE_URL_TEMPLATE), or null. */
  traceUrlTemplate?: string | null;
}

/** Pages reachable without a session (they sign people in). */
const PUBLIC_PAGES = ['/login', '/accept-invitation', '/reset-password'];

interface ApiContextValue {
  config: RuntimeConfig | null;
  /** Null until signed in with a workspace. */
  api: Api | null;
  loadError: string | null;
  /** The signed-in person (null while loading or signed out). */
  me: Me | null;
  /** The workspace chosen in the switcher, with the person's role there. */
  current: MeWorkspace | null;
  switchTo: (workspaceId: string) => void;
  /** Whether the person's role in the current workspace grants `permission` (the API enforces it regardless). */
  allowed: (permission: Permission) => boolean;
}

const ApiContext = createContext<ApiContextValue | null>(null);

/** Wraps the app; pages read the client with `useApi()`. */
export function ApiProvider({ children }: { children: ReactNode }) {
  const router = useRouter();
  const pathname = usePathname();
  const [config, setConfig] = useState<RuntimeConfig | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [me, setMe] = useState<Me | null>(null);
  const [current, setCurrent] = useState<MeWorkspace | null>(null);
  const publicPage = PUBLIC_PAGES.some((p) => pathname.startsWith(p));

  useEffect(() => {
    fetch('/config.json', { cache: 'no-store' })
      .then(async (r) => {
        if (!r.ok) throw new Error(`config.json answered ${r.status}`);
        setConfig((await r.json()) as RuntimeConfig);
      })
      .catch((e: unknown) => setLoadError(e instanceof Error ? e.message : 'cannot load the configuration'));
  }, []);

  useEffect(() => {
    if (!config || publicPage || me) return;
    loadSession(config.localSignIn === true)
      .then((m) => {
        if (m === null) {
          router.replace(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
          return;
        }
        setMe(m);
        setCurrent(chosenWorkspace(m, config.workspaceId));
      })
      .catch((e: unknown) => setLoadError(e instanceof Error ? e.message : 'cannot load the session'));
  }, [config, publicPage, me, router]);

  const switchTo = useCallback(
    (id: string) => {
      chooseWorkspace(id);
      if (me) setCurrent(chosenWorkspace(me, config?.workspaceId ?? null));
    },
    [me, config],
  );

  const api = useMemo(() => {
    if (!config || !current) return null;
    const origin = typeof window === 'undefined' ? '' : window.location.origin;
    const baseUrl = config.apiUrl.startsWith('/') ? `${origin}${config.apiUrl}` : config.apiUrl;
    return createApi({ baseUrl, workspaceId: current.workspace.id });
  }, [config, current]);

  const allowed = useCallback((permission: Permission) => can(current?.role, permission), [current]);
  const value = useMemo(() => ({ config, api, loadError, me, current, switchTo, allowed }), [config, api, loadError, me, current, switchTo, allowed]);
  return <ApiContext.Provider value={value}>{children}</ApiContext.Provider>;
}

/** The API context; throws outside `ApiProvider` (a programming error). */
export function useApiContext(): ApiContextValue {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useApiContext outside ApiProvider');
  return value;
}
