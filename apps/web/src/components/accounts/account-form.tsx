'use client';
/**
 * The form block the account pages share (accept an invitation, reset a password): the fields, the error banner and
 * a submit button that is enabled once hydrated (a click before that would submit the bare HTML form) and while
 * nothing is in flight.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { SessionApiError } from '../../lib/session-api';

export function AccountForm({ label, submitLabel, onSubmit, children }: { label?: string; submitLabel: string; onSubmit: () => Promise<void>; children: ReactNode }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await onSubmit();
    } catch (e) {
      setError(e instanceof SessionApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit} aria-label={label}>
      {children}
      {error ? (
        <p role="alert" className="banner banner-error">
          {error}
        </p>
      ) : null}
      <button type="submit" className="btn btn-primary" disabled={!ready || busy}>
        {submitLabel}
      </button>
    </form>
  );
}

/** A new password (10 characters at least, as the gateway requires). */
export function NewPasswordField({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  return (
    <label className="stack">
      {label}
      <input type="password" required minLength={10} value={value} onChange={(e) => onChange(e.target.value)} autoComplete="new-password" />
    </label>
  );
}
