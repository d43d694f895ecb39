'use client';
import { useEffect } from 'react';

export interface ShortcutHandlers {
  undo: () => void;
  redo: () => void;
  copy: () => void;
  paste: () => void;
  save: () => void;
  fit: () => void;
  tidy: () => void;
}

const typing = (el: EventTarget | null): boolean =>
  el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

/** Editor keyboard shortcuts; inactive while the user types in a field (except Ctrl+S). */
export function useEditorShortcuts(handlers: ShortcutHandlers): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 's') {
        e.preventDefault();
        handlers.save();
        return;
      }
      if (typing(e.target)) return;
      // By physical key: with Alt held, macOS reports a different character for T.
      if (!mod && e.shiftKey && e.altKey && e.code === 'KeyT') handlers.tidy();
      else if (mod && key === 'z' && !e.shiftKey) handlers.undo();
      else if (mod && ((key === 'z' && e.shiftKey) || key === 'y')) handlers.redo();
      else if (mod && key === 'c') handlers.copy();
      else if (mod && key === 'v') handlers.paste();
      else if (!mod && key === 'f') handlers.fit();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [handlers]);
}
