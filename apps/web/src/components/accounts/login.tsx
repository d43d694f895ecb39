'use client';
/** Sign in, or sign up when the instance has nobody yet (or sign-up is open); single sign-on when configured. */
import { useEffect, useState, type FormEvent } from 'react';
import type { AuthStatus } from '@outrun/schemas';
import { sessionCall, SessionApiError } from '../../lib/session-api';

type Status = AuthStatus;

/**
 * What the gateway's single sign-on callback sends a browser back with (`/login?sso_error=<reason>`). The page
 * shows its own words for a known code and nothing taken from the URL (a link cannot put text on this page).
 */
const SSO_ERRORS: Record<string, string> = {
  not_started: 'Single sign-on could not finish: this browser did not start that sign-in, or it took longer than 10 minutes. Try again.',
  rejected: 'Single sign-on failed: the answer from your identity provider did not check out (a changed or reused link, an expired code, or a token meant for another application). You are not signed in. Try again.',
  denied: 'Your identity provider did not sign you in (the sign-in was cancelled or refused).',
  no_email: 'Your identity provider did not share your email address; ask your administrator to release the email claim to Outrun.',
  unverified_email: 'Your identity provider says your email address is not verified.',
  unavailable: 'Your identity provider cannot be reached right now. Try again later.',
};
const SSO_ERROR_OTHER = 'Single sign-on failed. You are not signed in. Try again.';

/** Only a path of this site (never `//other.example`): an open redirect would hand the session's page to anyone. */
function safeNext(next: string | null): string {
  return next !== null && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/members';
}

export function Login() {
  const [status, setStatus] = useState<Status | null>(null);
  const [mode, setMode] = useState<'sign-in' | 'sign-up'>('sign-in');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [ssoError, setSsoError] = useState<string | null>(null);
  const [next, setNext] = useState('/members');

  useEffect(() => {
    const search = new URLSearchParams(window.location.search);
    const code = search.get('sso_error');
    if (code !== null) setSsoError(SSO_ERRORS[code] ?? SSO_ERROR_OTHER);
    setNext(safeNext(search.get('next')));
  }, []);

  useEffect(() => {
    sessionCall<Status>('GET', '/api/auth/status')
      .then((s) => {
        setStatus(s);
        if (!s.hasUsers) setMode('sign-up');
      })
      .catch((e: unknown) => setError(String(e)));
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'sign-up') await sessionCall('POST', '/api/auth/sign-up', { email, password, ...(name ? { name } : {}) });
      else await sessionCall('POST', '/api/auth/sign-in', { email, password });
      // A full load: the app then loads this person (not a previous session's) and goes where they were headed.
      window.location.assign(next);
    } catch (e) {
      setError(e instanceof SessionApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  // Nothing to submit before the page is interactive and knows whether this is the first sign-up.
  if (status === null && error === null) return <div className="page muted">Loading…</div>;
  const canSignUp = status !== null && (!status.hasUsers || status.signUpOpen);
  return (
    <div className="page" style={{ maxWidth: 420 }}>
      <h1>{mode === 'sign-up' ? (status?.hasUsers ? 'Sign up' : 'Create the owner account') : 'Sign in'}</h1>
      {ssoError ? (
        <p role="alert" className="banner banner-error" data-testid="sso-error">
          {ssoError}
        </p>
      ) : null}
      {status && !status.hasUsers ? <p className="muted">Nobody has signed up yet: you become the owner of this instance and of its workspaces.</p> : null}
      <form className="stack" onSubmit={submit} aria-label={mode === 'sign-up' ? 'Sign up' : 'Sign in'}>
        {mode === 'sign-up' ? (
          <label className="stack">
            Name
            <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />
          </label>
        ) : null}
        <label className="stack">
          Email
          <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="email" />
        </label>
        <label className="stack">
          Password
          <input type="password" required minLength={mode === 'sign-up' ? 10 : 1} value={password} onChange={(e) => setPassword(e.target.value)} autoComplete={mode === 'sign-up' ? 'new-password' : 'current-password'} />
        </label>
        {error ? (
          <p role="alert" className="banner banner-error">
            {error}
          </p>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {mode === 'sign-up' ? 'Sign up' : 'Sign in'}
        </button>
      </form>
      <div className="row">
        {canSignUp && mode === 'sign-in' ? (
          <button type="button" className="btn" onClick={() => setMode('sign-up')}>
            Create an account
          </button>
        ) : null}
        {mode === 'sign-up' && status?.hasUsers ? (
          <button type="button" className="btn" onClick={() => setMode('sign-in')}>
            I have an account
          </button>
        ) : null}
        {status?.oidc ? (
          <a className="btn" href={`/gateway/api/auth/oidc/start?returnTo=${encodeURIComponent(next)}`}>
            Sign in with single sign-on
          </a>
        ) : null}
      </div>
    </div>
  );
}
