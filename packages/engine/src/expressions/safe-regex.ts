/**
 * Regular expressions written by workflow authors (or arriving through `{{ }}` from a request) run on
 * RE2 (`re2js`, a pure-JS port): matching time is linear in the input, so `^(a+)+$` cannot freeze the
 * process. RE2 has no backreferences or lookahead; such patterns fail with a `SafeRegexError` naming why,
 * never fall back to the backtracking `RegExp`.
 *
 * Linear is not free: the NFA costs about (input length × program size), so both are capped.
 */
import { RE2JS } from 're2js';

/** Longest pattern accepted (characters). */
export const MAX_REGEX_PATTERN_LENGTH = 2_000;
/** Longest text a user pattern is matched against (characters). */
export const MAX_REGEX_INPUT_LENGTH = 1_000_000;
/**
 * Upper bound on input length × compiled program size for one match call (~15 ns per unit measured on
 * a busy 2-core VM: ≈ 0.3 s worst case). `(x+\s?){1,50}` repeats its body 50 times in the program.
 */
export const MAX_REGEX_WORK = 20_000_000;

/** Why a pattern cannot run (bad syntax, a feature RE2 lacks, or too big for its input). */
export class SafeRegexError extends Error {
  constructor(
    message: string,
    /** `syntax`: invalid or unsupported (backreference, lookahead…); `limit`: pattern or input too large. */
    readonly reason: 'syntax' | 'limit',
  ) {
    super(message);
    this.name = 'SafeRegexError';
  }
}

/** Flags with a meaning here; `d` and `u` are accepted and change nothing (indices are always returned, RE2 is Unicode). */
const SUPPORTED_FLAGS = /^[dgimsuy]*$/;

interface Compiled {
  re: RE2JS;
  programSize: number;
}

const MAX_CACHE = 1_000;
const cache = new Map<string, Compiled>();

function compile(pattern: string, flags: string): Compiled {
  const key = `${flags}/${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  if (pattern.length > MAX_REGEX_PATTERN_LENGTH) throw new SafeRegexError(`The regular expression is longer than ${MAX_REGEX_PATTERN_LENGTH} characters.`, 'limit');
  if (!SUPPORTED_FLAGS.test(flags)) throw new SafeRegexError(`Unsupported regular expression flags "${flags}" (use d g i m s u y).`, 'syntax');
  let mask = 0;
  if (flags.includes('i')) mask |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) mask |= RE2JS.MULTILINE;
  if (flags.includes('s')) mask |= RE2JS.DOTALL;
  let re: RE2JS;
  try {
    re = RE2JS.compile(RE2JS.translateRegExp(pattern), mask);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new SafeRegexError(`Invalid or unsupported regular expression (linear-time RE2 syntax: no backreferences or lookahead): ${detail}`, 'syntax');
  }
  const compiled = { re, programSize: Math.max(1, re.matcher('').programSize()) };
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

function checkInput(input: string, compiled: Compiled): void {
  if (input.length > MAX_REGEX_INPUT_LENGTH) throw new SafeRegexError(`The text is longer than ${MAX_REGEX_INPUT_LENGTH} characters, the most a regular expression is run on.`, 'limit');
  if (input.length * compiled.programSize > MAX_REGEX_WORK) {
    throw new SafeRegexError(`The regular expression is too complex for a text of ${input.length} characters (shorten either; at most ${MAX_REGEX_WORK} characters × program steps).`, 'limit');
  }
}

/** One match: the text, where it starts, positional captures and named groups (`null` when a group did not take part). */
export interface SafeMatch {
  match: string;
  index: number;
  captures: Array<string | null>;
  groups: Record<string, string | null>;
}

/**
 * Throws `SafeRegexError` when `pattern` cannot run on RE2 (syntax, unsupported feature, too long).
 * Use it to validate parameters up front.
 */
export function checkSafeRegex(pattern: string, flags = ''): void {
  compile(pattern, flags);
}

/** Matches from `from`; `null` when there is no match. */
function findAt(compiled: Compiled, input: string, from: number): SafeMatch | null {
  const m = compiled.re.matcher(input);
  if (!m.find(from)) return null;
  const captures: Array<string | null> = [];
  for (let g = 1; g <= m.groupCount(); g++) captures.push(m.group(g));
  return { match: m.group() ?? '', index: m.start(), captures, groups: m.getNamedGroups() };
}

/** `regex.test(input)` on RE2. @throws SafeRegexError */
export function safeTest(pattern: string, input: string, flags = ''): boolean {
  const compiled = compile(pattern, flags);
  checkInput(input, compiled);
  if (!flags.includes('y')) return compiled.re.matcher(input).find();
  return findAt(compiled, input, 0)?.index === 0; // sticky: only a match starting at 0 counts
}

/** Every match (with the `g` flag) or the first one, like `String.prototype.matchAll`. @throws SafeRegexError */
export function safeMatches(pattern: string, input: string, flags = ''): SafeMatch[] {
  const compiled = compile(pattern, flags);
  checkInput(input, compiled);
  if (!flags.includes('g')) {
    const first = findAt(compiled, input, 0);
    return first === null || (flags.includes('y') && first.index !== 0) ? [] : [first];
  }
  const out: SafeMatch[] = [];
  let from = 0;
  while (from <= input.length) {
    const m = findAt(compiled, input, from);
    if (m === null || (flags.includes('y') && m.index !== from)) break;
    out.push(m);
    // An empty match moves one character on, as matchAll does.
    from = m.index + m.match.length + (m.match.length === 0 ? 1 : 0);
  }
  return out;
}

/**
 * A `RegExp` look-alike on RE2 for JSONata's `RegexEngine` option: JSONata builds one per regex literal
 * (`/…/` with flags i, m and always g) and calls `exec` with `lastIndex` set. `exec` follows `RegExp`
 * semantics for `lastIndex` (global/sticky advance it, otherwise it is ignored).
 */
export class Re2RegExp {
  lastIndex = 0;
  readonly source: string;
  readonly flags: string;
  readonly global: boolean;
  private readonly compiled: Compiled;

  constructor(pattern: RegExp | string, flags?: string) {
    this.source = typeof pattern === 'string' ? pattern : pattern.source;
    this.flags = flags ?? (typeof pattern === 'string' ? '' : pattern.flags);
    this.global = this.flags.includes('g');
    this.compiled = compile(this.source, this.flags);
  }

  exec(input: string): RegExpExecArray | null {
    checkInput(input, this.compiled);
    const sticky = this.flags.includes('y');
    const from = this.global || sticky ? this.lastIndex : 0;
    const m = from > input.length ? null : findAt(this.compiled, input, from);
    if (m === null || (sticky && m.index !== from)) {
      if (this.global || sticky) this.lastIndex = 0;
      return null;
    }
    if (this.global || sticky) this.lastIndex = m.index + m.match.length;
    const result = [m.match, ...m.captures.map((c) => c ?? undefined)] as unknown as RegExpExecArray;
    result.index = m.index;
    result.input = input;
    const named = Object.keys(m.groups);
    if (named.length > 0) result.groups = Object.fromEntries(named.map((k) => [k, m.groups[k] ?? undefined])) as Record<string, string>;
    return result;
  }

  test(input: string): boolean {
    return this.exec(input) !== null;
  }
}
