'use client';
/**
 * Which side panels of the editor are open. Wide screens start with both open; below 1100 px the palette starts
 * closed, below 800 px (a phone, or 200 % browser zoom on a laptop) both do, and they open as overlays.
 */
import { useCallback, useEffect, useState } from 'react';

export interface Panels {
  palette: boolean;
  inspector: boolean;
  togglePalette: () => void;
  toggleInspector: () => void;
}

export function usePanels(): Panels {
  const [palette, setPalette] = useState(true);
  const [inspector, setInspector] = useState(true);
  useEffect(() => {
    const width = window.innerWidth;
    if (width < 1100) setPalette(false);
    if (width < 800) setInspector(false);
  }, []);
  const togglePalette = useCallback(() => setPalette((v) => !v), []);
  const toggleInspector = useCallback(() => setInspector((v) => !v), []);
  return { palette, inspector, togglePalette, toggleInspector };
}
