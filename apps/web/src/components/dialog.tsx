'use client';
import { useEffect, useRef, type ReactNode } from 'react';
import { InlineError } from './states';
import { FOCUSABLE, nextTrapTarget } from './focus-trap';

/**
 * A modal dialog: focus moves inside on open and stays inside (Tab and Shift+Tab cycle through its controls),
 * Escape closes, focus returns to the opener.
 */
export function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  // Callers often pass an inline onClose: a ref keeps the effect (and the opener it remembers) from re-running.
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>('input, textarea, select, button:not(.dialog-close)');
    first?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        close.current();
        return;
      }
      if (e.key !== 'Tab' || !ref.current) return;
      const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null || el === document.activeElement);
      const active = document.activeElement instanceof HTMLElement && ref.current.contains(document.activeElement) ? document.activeElement : null;
      const target = nextTrapTarget(items, active, e.shiftKey);
      if (target) {
        e.preventDefault();
        target.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      opener?.focus();
    };
  }, []);
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label={title} ref={ref}>
        <div className="row">
          <h2 style={{ margin: 0 }}>{title}</h2>
          <span className="spacer" />
          <button type="button" className="btn btn-sm dialog-close" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}

/**
 * The footer every dialog shares: the last error, Cancel (first, so focus lands on the safe choice), and the
 * confirming button, disabled and relabelled while its request runs. `onConfirm` unset: the button submits its form.
 */
export function DialogActions(props: {
  error: unknown;
  onCancel: () => void;
  confirm: string;
  busyLabel: string;
  busy: boolean;
  disabled?: boolean;
  danger?: boolean;
  onConfirm?: () => void;
}) {
  const { error, onCancel, confirm, busyLabel, busy, disabled = false, danger = false, onConfirm } = props;
  return (
    <>
      <InlineError error={error} />
      <div className="row">
        <span className="spacer" />
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type={onConfirm ? 'button' : 'submit'} className={danger ? 'btn btn-danger' : 'btn btn-primary'} disabled={disabled || busy} onClick={onConfirm}>
          {busy ? busyLabel : confirm}
        </button>
      </div>
    </>
  );
}

/** Copies text and reports success briefly. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const done = useRef<HTMLSpanElement>(null);
  return (
    <span className="row">
      <button
        type="button"
        className="btn btn-sm"
        onClick={() => {
          void navigator.clipboard?.writeText(text).then(() => {
            if (done.current) done.current.textContent = 'Copied';
          });
        }}
      >
        {label}
      </button>
      <span ref={done} className="copy-ok" aria-live="polite" />
    </span>
  );
}
