/**
 * The parsers behind the `parser` node. Each failure is `NonRetriableError(OUT_ERR_PARSE)` with the
 * position (offset, or line and column) in the message and in `details`.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { safeMatches, SafeRegexError, type SafeMatch } from '@outrun/engine';
import { ErrorCode, NonRetriableError, type JsonValue } from '@outrun/schemas';
import { toJson } from '../shared/to-json';

function parseError(format: string, reason: string, position: string): NonRetriableError {
  return new NonRetriableError(ErrorCode.PARSE, `Invalid ${format}${position ? ` at ${position}` : ''}: ${reason}`, {
    details: [{ path: 'source', message: `${reason}${position ? ` (${position})` : ''}` }],
  });
}

/** JSON text → value. */
export function parseJsonText(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    const message = (error as Error).message;
    const offset = /position (\d+)/.exec(message)?.[1];
    const position = offset !== undefined ? `position ${offset}` : text.trim() === '' ? 'position 0' : '';
    throw parseError('JSON', message, position);
  }
}

export interface CsvOptions {
  delimiter: string;
  headerRow: boolean;
}

/** CSV text → array of records keyed by the header row, or array of string arrays without one. */
export function parseCsvText(text: string, options: CsvOptions): JsonValue {
  try {
    const rows: unknown = parseCsv(text, {
      delimiter: options.delimiter,
      columns: options.headerRow,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      bom: true,
      trim: false,
    });
    return toJson(rows);
  } catch (error) {
    const e = error as { message?: string; lines?: number; column?: number | string };
    const position = [e.lines !== undefined ? `line ${e.lines}` : '', e.column !== undefined ? `column ${e.column}` : ''].filter(Boolean).join(', ');
    throw parseError('CSV', e.message ?? String(error), position);
  }
}

const xmlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', processEntities: true });

/** XML text → object (attributes as `@_name`). Validated first, so errors carry line and column. */
export function parseXmlText(text: string): JsonValue {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw parseError('XML', valid.err.msg, `line ${valid.err.line}, column ${valid.err.col}`);
  }
  try {
    return toJson(xmlParser.parse(text));
  } catch (error) {
    // e.g. external entities (`<!ENTITY x SYSTEM "file:…">`), which are refused, never fetched.
    throw parseError('XML', (error as Error).message, '');
  }
}

/** One regex match as the parser outputs it. */
export type RegexMatch = Pick<SafeMatch, 'match' | 'index' | 'groups' | 'captures'>;

/**
 * Regex extraction on RE2 (linear time: a hostile pattern or text cannot freeze the runner): every match
 * (with `g`) or the first, with named groups and positional captures.
 * @throws NonRetriableError OUT_ERR_REGEX for patterns RE2 cannot run (backreferences, lookaround) or text too long
 */
export function extractMatches(text: string, pattern: string, flags: string): RegexMatch[] {
  try {
    return safeMatches(pattern, text, flags).map(({ match, index, groups, captures }) => ({ match, index, groups, captures }));
  } catch (error) {
    if (!(error instanceof SafeRegexError)) throw error;
    throw new NonRetriableError(ErrorCode.REGEX, error.message, { details: [{ path: error.reason === 'limit' ? 'source' : 'pattern', message: error.message }] });
  }
}
