import { describe, expect, it } from 'vitest';
import { ErrorCode, NonRetriableError } from '@outrun/schemas';
import { runNode } from '../testing/run-node';
import { extractMatches } from './parse-formats';
import { parserNode } from '.';

const parse = (params: Record<string, unknown>, input: unknown) => runNode(parserNode, { params, input: input as never });
const parseError = async (params: Record<string, unknown>, input: unknown) => {
  const error = await parse(params, input).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(NonRetriableError);
  expect(error).toMatchObject({ code: ErrorCode.PARSE });
  return (error as Error).message;
};

describe('parser: json', () => {
  it('parses the input or a field of it', async () => {
    expect((await parse({}, '{"a":[1,2]}')).output).toEqual({ a: [1, 2] });
    expect((await parse({ source: 'body.raw' }, { body: { raw: '[true,null]' } })).output).toEqual([true, null]);
  });

  it('reports the position of a syntax error', async () => {
    expect(await parseError({}, '{"a": 1,, }')).toMatch(/Invalid JSON at position 8/);
    expect(await parseError({}, '')).toMatch(/position 0/);
  });

  it('fails when the source is not text', async () => {
    expect(await parseError({ source: 'missing' }, { other: 1 })).toMatch(/input\.missing, got nothing/);
    expect(await parseError({}, { already: 'object' })).toMatch(/got object/);
  });
});

describe('parser: csv', () => {
  it('uses the header row for keys', async () => {
    const csv = 'name,email\r\nJohn Doe,john@acme.test\n"Smith, Jane","jane@x.test"\n\n';
    expect((await parse({ format: 'csv' }, csv)).output).toEqual([
      { name: 'John Doe', email: 'john@acme.test' },
      { name: 'Smith, Jane', email: 'jane@x.test' },
    ]);
  });

  it('supports another delimiter and no header row', async () => {
    expect((await parse({ format: 'csv', delimiter: ';', headerRow: false }, 'a;b\n1;2')).output).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('reports the line of a malformed row', async () => {
    expect(await parseError({ format: 'csv' }, 'a,b\n1,2\n3,4,5\n')).toMatch(/Invalid CSV at line 3/);
    expect(await parseError({ format: 'csv' }, 'a,b\n"unclosed,2\n')).toMatch(/Invalid CSV/);
  });
});

describe('parser: xml', () => {
  it('parses elements and attributes', async () => {
    const xml = '<?xml version="1.0"?><order id="7"><item sku="A">2</item><item sku="B">3</item><note>hi &amp; bye</note></order>';
    expect((await parse({ format: 'xml' }, xml)).output).toEqual({
      '?xml': { '@_version': '1.0' },
      order: { '@_id': '7', item: [{ '#text': 2, '@_sku': 'A' }, { '#text': 3, '@_sku': 'B' }], note: 'hi & bye' },
    });
  });

  it('reports line and column of malformed XML', async () => {
    expect(await parseError({ format: 'xml' }, '<a>\n  <b></c>\n</a>')).toMatch(/Invalid XML at line 2, column \d+/);
  });
});

describe('parser: regex', () => {
  it('extracts every match with named groups and captures', async () => {
    const result = await parse({ format: 'regex', pattern: '(?<key>\\w+)=(\\d+)' }, 'a=1, b=22, c=x');
    expect(result.output).toEqual({
      matches: [
        { match: 'a=1', index: 0, groups: { key: 'a' }, captures: ['a', '1'] },
        { match: 'b=22', index: 5, groups: { key: 'b' }, captures: ['b', '22'] },
      ],
    });
  });

  it('returns only the first match without the g flag, and none when nothing matches', async () => {
    expect((await parse({ format: 'regex', pattern: '\\d', flags: '' }, 'a1b2')).output).toEqual({ matches: [{ match: '1', index: 1, groups: {}, captures: [] }] });
    expect((await parse({ format: 'regex', pattern: 'z' }, 'abc')).output).toEqual({ matches: [] });
  });

  it('validates pattern and flags in params', async () => {
    await expect(parse({ format: 'regex' }, 'x')).rejects.toMatchObject({ code: ErrorCode.INVALID_NODE_PARAMS, details: [{ path: 'data.pattern' }] });
    await expect(parse({ format: 'regex', pattern: '(' }, 'x')).rejects.toMatchObject({ details: [{ path: 'data.pattern' }] });
    await expect(parse({ format: 'regex', pattern: 'a', flags: 'q' }, 'x')).rejects.toMatchObject({ details: [{ path: 'data.flags' }] });
  });

  it('runs on RE2: catastrophic-backtracking patterns answer at once with the right matches', async () => {
    const started = performance.now();
    expect((await parse({ format: 'regex', pattern: '^(\\w+\\s?)*$' }, 'a'.repeat(25) + '!')).output).toEqual({ matches: [] });
    expect((await parse({ format: 'regex', pattern: '^(a+)+$' }, 'a'.repeat(27) + '!')).output).toEqual({ matches: [] });
    expect((await parse({ format: 'regex', pattern: '^(a+)+$', flags: '' }, 'a'.repeat(28))).output).toEqual({
      matches: [{ match: 'a'.repeat(28), index: 0, groups: {}, captures: ['a'.repeat(28)] }],
    });
    expect(performance.now() - started).toBeLessThan(2000); // backtracking took 3.4 s and 19.6 s
  });

  it('keeps RegExp semantics for flags, empty matches and unmatched groups', async () => {
    expect((await parse({ format: 'regex', pattern: 'A(b)?', flags: 'gi' }, 'a ab')).output).toEqual({
      matches: [
        { match: 'a', index: 0, groups: {}, captures: [null] },
        { match: 'ab', index: 2, groups: {}, captures: ['b'] },
      ],
    });
    expect((await parse({ format: 'regex', pattern: '^\\w', flags: 'gm' }, 'ab\ncd')).output).toMatchObject({ matches: [{ match: 'a' }, { match: 'c' }] });
    expect((await parse({ format: 'regex', pattern: 'x*' }, 'ab')).output).toMatchObject({ matches: [{ index: 0 }, { index: 1 }, { index: 2 }] });
  });

  it('refuses what RE2 cannot run with the field named, and text over the cap with OUT_ERR_REGEX', async () => {
    await expect(parse({ format: 'regex', pattern: '(a)\\1' }, 'aa')).rejects.toMatchObject({ code: ErrorCode.INVALID_NODE_PARAMS, details: [{ path: 'data.pattern' }] });
    await expect(parse({ format: 'regex', pattern: '(?<=a)b' }, 'ab')).rejects.toMatchObject({ code: ErrorCode.INVALID_NODE_PARAMS, details: [{ path: 'data.pattern' }] });
    // a pattern from a template is only known at run time: OUT_ERR_REGEX naming the field
    expect(() => extractMatches('aa', '(?=a)', 'g')).toThrow(expect.objectContaining({ code: ErrorCode.REGEX, details: [expect.objectContaining({ path: 'pattern' })] }));
    await expect(parse({ format: 'regex', pattern: 'a' }, 'a'.repeat(1_000_001))).rejects.toMatchObject({ code: ErrorCode.REGEX, details: [{ path: 'source' }] });
  });
});

describe('parser: hostile xml', () => {
  it('refuses external entities and does not expand entity bombs', async () => {
    expect(await parseError({ format: 'xml' }, '<?xml version="1.0"?><!DOCTYPE f [<!ENTITY x SYSTEM "file:///etc/passwd">]><f>&x;</f>')).toMatch(/External entities/);
    const levels = Array.from({ length: 6 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
    const bomb = `<?xml version="1.0"?><!DOCTYPE b [<!ENTITY l0 "lol">${levels}]><b>&l6;</b>`;
    const result = await parse({ format: 'xml' }, bomb).catch((e: unknown) => e);
    expect(JSON.stringify(result).length).toBeLessThan(10_000);
  });
});
