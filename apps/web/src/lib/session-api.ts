'use client';
/**
 * Calls of the people pages (sign-in, members, audit) through the same-origin `/gateway` proxy with the session
 * cookie; state-changing calls echo the `outrun_csrf` cookie in `X-CSRF-Token`.
 */
import type { AccountView } from '@outrun/schemas';

/** `GET /api/auth/me` (defined once in @outrun/schemas; types only, so no zod in the bundle). */
export type Me = AccountView;
export type MeWorkspace = AccountView['workspaces'][number];

export class SessionApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function csrf(): string {
  const match = /(?:^|;\s*)outrun_csrf=([^;]*)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]!) : '';
}

export async function sessionCall<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrf();
  const res = await fetch(`/gateway${path}`, { method, headers, credentials: 'same-origin', cache: 'no-store', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new SessionApiError(res.status, error?.code ?? 'OUT_ERR_INTERNAL', error?.message ?? `HTTP ${res.status}`);
  }
  return parsed as T;
}

const WORKSPACE_KEY = 'outrun.sessionWorkspace';

/** The workspace chosen in the switcher (or the first one). */
export function chosenWorkspace(me: Me): MeWorkspace | null {
  const saved = typeof window === 'undefined' ? null : window.localStorage.getItem(WORKSPACE_KEY);
  return me.workspaces.find((w) => w.workspace.id === saved) ?? me.workspaces[0] ?? null;
}

export function chooseWorkspace(id: string): void {
  window.localStorage.setItem(WORKSPACE_KEY, id);
}

export const canManageMembers = (role: MeWorkspace['role'] | undefined): boolean => role === 'owner' || role === 'admin';
