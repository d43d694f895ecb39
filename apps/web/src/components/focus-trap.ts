/** Focus trapping for modal dialogs: which element Tab reaches next, wrapping inside the dialog. */

/** What Tab can reach inside the dialog (visible, enabled). */
export const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The element Tab should move to from `active` inside `items` (wrapping at both ends); null: let the browser move. */
export function nextTrapTarget<T>(items: readonly T[], active: T | null, backwards: boolean): T | null {
  if (items.length === 0) return null;
  const at = active === null ? -1 : items.indexOf(active);
  if (at === -1) return backwards ? items[items.length - 1]! : items[0]!;
  if (backwards && at === 0) return items[items.length - 1]!;
  if (!backwards && at === items.length - 1) return items[0]!;
  return null;
}

