'use client';
/** Loading, empty and error states used on every page (never a raw stack trace). */
import type { ReactNode } from 'react';
import Link from 'next/link';
import { ApiError } from '../lib/api';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <strong>{title}</strong>
      {children ? <div className="muted">{children}</div> : null}
    </div>
  );
}

/** Human message for any thrown value: API errors show their code; anything else a generic line. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.name === 'AbortError') return 'The request was cancelled.';
  return 'Something went wrong. Try again.';
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const code = error instanceof ApiError ? error.code : null;
  const unauth = error instanceof ApiError && error.status === 401;
  return (
    <div className="state state-error" role="alert">
      <strong>{unauth ? 'Not signed in' : 'Could not load this'}</strong>
      <div>
        {errorMessage(error)} {code ? <code className="code-tag">{code}</code> : null}
      </div>
      <div className="row">
        {onRetry ? (
          <button type="button" className="btn" onClick={onRetry}>
            Retry
          </button>
        ) : null}
        {unauth ? (
          <Link className="btn" href="/settings">
            Set API key
          </Link>
        ) : null}
      </div>
    </div>
  );
}

/** A small inline error line under forms and buttons. */
export function InlineError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div className="inline-error" role="alert">
      {errorMessage(error)}
      {error instanceof ApiError && error.details.length > 0 ? (
        <ul>
          {error.details.slice(0, 8).map((d) => (
            <li key={`${d.path}:${d.message}`}>
              <code>{d.path}</code> {d.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status}`}>{status}</span>;
}
