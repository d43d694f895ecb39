'use client';
/**
 * Click-to-insert: the expression field of the node panel that had focus last. A click on a field of the node's
 * input/output view inserts its reference there, at the caret the field kept when it lost focus.
 */
import { createContext, useContext } from 'react';

export interface InsertTarget {
  /** Inserts a JSONata path at the field's caret (wrapped in `{{ }}` unless the caret is inside one already). */
  insert(path: string): void;
  /** The field's name, for the hint ("goes into Value"). */
  label: string;
}

/** A mutable holder (no re-render when focus moves between fields). */
export type InsertTargetRef = { current: InsertTarget | null };

export const InsertTargetContext = createContext<InsertTargetRef | null>(null);

export const useInsertTarget = (): InsertTargetRef | null => useContext(InsertTargetContext);
