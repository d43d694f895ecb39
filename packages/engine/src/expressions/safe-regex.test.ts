import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSafeRegex, MAX_REGEX_INPUT_LENGTH, Re2RegExp, safeMatches, safeTest, SafeRegexError } from './safe-regex';

/** Patterns both engines accept with the same meaning on ASCII text (RE2 differs on Unicode `\s`/`\b`). */
const PATTERNS = ['a+', 'a*', '(a|b)+', '^(a+)+$', '^(\\w+\\s?)*$', 'b(a)?', '(?<n>\\d+)-(\\d*)', '[ab]{2,3}', 'a.b', '^b', 'a$', '\\bab', '(?:ab)*?b', 'x*'];
const FLAGS = ['', 'g', 'i', 'gi', 'gm', 'gs', 'y', 'gy'];
const text = fc.string({ unit: fc.constantFrom('a', 'b', 'A', ' ', '1', '-', '\n'), maxLength: 24 });

/** What `RegExp` answers, in `safeMatches`' shape. */
function native(pattern: string, input: string, flags: string) {
  const re = new RegExp(pattern, flags);
  const found = re.global ? [...input.matchAll(re)] : [re.exec(input)].filter((m) => m !== null);
  return found.map((m) => ({
    match: m[0],
    index: m.index ?? 0,
    captures: m.slice(1).map((c) => c ?? null),
    groups: Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, v ?? null])),
  }));
}

describe('safe regexes (RE2) answer like RegExp', () => {
  it('same matches, positions, captures and groups on ASCII text (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATTERNS), fc.constantFrom(...FLAGS), text, (pattern, flags, input) => {
        expect(safeMatches(pattern, input, flags)).toEqual(native(pattern, input, flags));
        expect(safeTest(pattern, input, flags.replace('g', ''))).toBe(new RegExp(pattern, flags.replace('g', '')).test(input));
      }),
      { numRuns: 400 },
    );
  });

  it('Re2RegExp.exec walks global matches like RegExp.exec (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATTERNS.filter((p) => !p.endsWith('*') && p !== 'a*')), text, (pattern, input) => {
        const ours = new Re2RegExp(pattern, 'g');
        const theirs = new RegExp(pattern, 'g');
        for (let i = 0; i < 30; i++) {
          const a = ours.exec(input);
          const b = theirs.exec(input);
          expect(a === null ? null : [a.index, [...a]]).toEqual(b === null ? null : [b.index, [...b]]);
          expect(ours.lastIndex).toBe(theirs.lastIndex);
          if (b === null || b[0] === '') break;
        }
      }),
      { numRuns: 200 },
    );
  });

  it('refuses what RE2 cannot run, and over-long text, with a reason', () => {
    for (const p of ['(a)\\1', '(?=a)', '(?!a)', '(?<!a)b', 'a'.repeat(2001)]) expect(() => checkSafeRegex(p)).toThrow(SafeRegexError);
    expect(() => checkSafeRegex('a', 'v')).toThrow(/flags/);
    expect(() => safeTest('a', 'a'.repeat(MAX_REGEX_INPUT_LENGTH + 1))).toThrow(expect.objectContaining({ reason: 'limit' }));
    // a repetition-heavy pattern on a long text is refused up front instead of running for seconds
    expect(() => safeTest('(?:[a-z]+\\s?){1,50}!', 'ab '.repeat(300_000))).toThrow(expect.objectContaining({ reason: 'limit' }));
  });
});
