import { describe, expect, it } from 'vitest';
import { matchesFilter } from './match-filter';

describe('matchesFilter', () => {
  const doc = { status: 'new', lead: { score: 12, tags: ['a'] } };
  it('matches equality on dotted paths; {} matches everything', () => {
    expect(matchesFilter(doc, {})).toBe(true);
    expect(matchesFilter(doc, { status: 'new', 'lead.score': 12 })).toBe(true);
    expect(matchesFilter(doc, { 'lead.tags': ['a'] })).toBe(true);
    expect(matchesFilter(doc, { 'lead.score': 13 })).toBe(false);
    expect(matchesFilter(doc, { 'lead.missing': null })).toBe(false);
    expect(matchesFilter(undefined, { status: 'new' })).toBe(false);
  });
});
