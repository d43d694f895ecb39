'use client';

/** Last-resort boundary: a friendly message, never a stack trace. */
export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <div className="page">
      <div className="state state-error" role="alert">
        <strong>This page hit an unexpected problem.</strong>
        <button type="button" className="btn" onClick={reset}>
          Try again
        </button>
      </div>
    </div>
  );
}
