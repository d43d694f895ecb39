/**
 * `parser`: parses text from the input (or a field of it) as JSON, CSV (header row, delimiter),
 * XML, or extracts regex matches (RE2, linear time: OUT_ERR_REGEX for backreferences/lookaround or text
 * over 1,000,000 characters). Parse failures are non-retriable `OUT_ERR_PARSE` errors with a position.
 */
import { z } from 'zod';
import { checkSafeRegex } from '@outrun/engine';
import { ErrorCode, NonRetriableError, type JsonValue } from '@outrun/schemas';
import { defineNode, IN, OUT } from '../define-node';
import { getPath } from '../shared/json-path';
import { extractMatches, parseCsvText, parseJsonText, parseXmlText } from './parse-formats';

const FLAGS = /^[dgimsuyv]*$/;

export const ParserParams = z
  .strictObject({
    format: z.enum(['json', 'csv', 'xml', 'regex']).default('json').describe('What the text is'),
    source: z.string().default('').describe('Dotted path of the text inside the input (empty = the input itself)'),
    delimiter: z.string().length(1).default(',').describe('CSV: field delimiter'),
    headerRow: z.boolean().default(true).describe('CSV: first row holds the column names (rows become objects)'),
    pattern: z.string().default('').describe('Regex: the pattern (named groups become fields of each match)'),
    flags: z.string().regex(FLAGS, 'only d g i m s u y v').default('g').describe('Regex: flags (g = every match)'),
  })
  .superRefine((params, issue) => {
    if (params.format !== 'regex') return;
    if (params.pattern === '') issue.addIssue({ code: 'custom', path: ['pattern'], message: 'required when format is regex' });
    else if (!params.pattern.includes('{{') && FLAGS.test(params.flags)) {
      try {
        checkSafeRegex(params.pattern, params.flags);
      } catch (error) {
        issue.addIssue({ code: 'custom', path: [params.flags.includes('v') ? 'flags' : 'pattern'], message: (error as Error).message });
      }
    }
  });
export type ParserParams = z.infer<typeof ParserParams>;

function sourceText(input: JsonValue, path: string): string {
  const value = getPath(input, path);
  if (typeof value === 'string') return value;
  const where = path === '' ? 'the input' : `input.${path}`;
  throw new NonRetriableError(ErrorCode.PARSE, `Expected text to parse at ${where}, got ${value === undefined ? 'nothing' : Array.isArray(value) ? 'array' : typeof value}`, {
    details: [{ path: 'source', message: `${where} is not a string` }],
  });
}

export const parserNode = defineNode({
  type: 'parser',
  label: 'Parser',
  description: 'Parses JSON, CSV or XML text, or extracts regex matches.',
  category: 'data',
  icon: 'file-code',
  params: ParserParams,
  inputs: IN,
  outputs: OUT,
  async execute(ctx) {
    const p = ctx.params;
    const text = sourceText(ctx.input, p.source);
    switch (p.format) {
      case 'json':
        return { output: parseJsonText(text) };
      case 'csv':
        return { output: parseCsvText(text, { delimiter: p.delimiter, headerRow: p.headerRow }) };
      case 'xml':
        return { output: parseXmlText(text) };
      case 'regex':
        return { output: { matches: extractMatches(text, p.pattern, p.flags) } as unknown as JsonValue };
    }
  },
});
