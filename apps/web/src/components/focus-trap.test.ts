import { describe, expect, it } from 'vitest';
import { nextTrapTarget } from './focus-trap';

describe('nextTrapTarget (dialog focus trap)', () => {
  const items = ['name', 'cancel', 'ok'];
  it('wraps from the last control to the first, and backwards from the first to the last', () => {
    expect(nextTrapTarget(items, 'ok', false)).toBe('name');
    expect(nextTrapTarget(items, 'name', true)).toBe('ok');
  });
  it('lets the browser move between inner controls', () => {
    expect(nextTrapTarget(items, 'name', false)).toBeNull();
    expect(nextTrapTarget(items, 'ok', true)).toBeNull();
  });
  it('brings focus back inside when it is outside the dialog', () => {
    expect(nextTrapTarget(items, null, false)).toBe('name');
    expect(nextTrapTarget(items, null, true)).toBe('ok');
    expect(nextTrapTarget([], null, false)).toBeNull();
  });
});
