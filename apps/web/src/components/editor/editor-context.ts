'use client';
import { createContext, useContext } from 'react';
import type { TriggerInput } from '@outrun/schemas';
import type { NodeTypeInfo } from '../../lib/api';

/** What node components need besides their own data: the catalog and the workflow's triggers. */
export interface EditorContextValue {
  catalog: ReadonlyMap<string, NodeTypeInfo>;
  triggers: readonly TriggerInput[];
  /** Opens the node picker to add a step after this node (absent when read-only). */
  addAfter?: ((nodeId: string) => void) | undefined;
}

export const EditorContext = createContext<EditorContextValue>({ catalog: new Map(), triggers: [] });
export const useEditorContext = (): EditorContextValue => useContext(EditorContext);

const CATEGORY_ICONS: Record<string, string> = { trigger: '⚡', core: '●', flow: '◇', data: '≡', http: '⇄', ai: 'AI' };

/** A glyph per category (the catalog's icon names are not shipped as an icon font). */
export const categoryIcon = (category: string | undefined): string => CATEGORY_ICONS[category ?? ''] ?? '●';
