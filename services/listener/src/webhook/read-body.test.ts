import { describe, expect, it } from 'vitest';
import { exceedsDepth, parseBody, parseQuery } from './read-body';

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

describe('parseBody', () => {
  it('decodes JSON, form and text; empty is null', () => {
    expect(parseBody('application/json; charset=utf-8', Buffer.from('{"a":1}'))).toEqual({ ok: true, value: { a: 1 } });
    expect(parseBody('application/vnd.thing+json', Buffer.from('[1]'))).toEqual({ ok: true, value: [1] });
    expect(parseBody('application/x-www-form-urlencoded', Buffer.from('a=1&b=2&a=3'))).toEqual({ ok: true, value: { a: ['1', '3'], b: '2' } });
    expect(parseBody('text/plain', Buffer.from('hi'))).toEqual({ ok: true, value: 'hi' });
    expect(parseBody(undefined, Buffer.alloc(0))).toEqual({ ok: true, value: null });
  });
  it('rejects invalid JSON and JSON deeper than 64 levels', () => {
    expect(parseBody('application/json', Buffer.from('{"a":'))).toMatchObject({ ok: false, code: 'OUT_ERR_INVALID_JSON' });
    expect(parseBody('application/json', Buffer.from(nested(64)))).toMatchObject({ ok: true });
    expect(parseBody('application/json', Buffer.from(nested(65)))).toMatchObject({ ok: false, code: 'OUT_ERR_TOO_DEEP' });
    expect(exceedsDepth({ a: { b: { c: 1 } } }, 2)).toBe(true);
    expect(exceedsDepth({ a: { b: 1 } }, 2)).toBe(false);
  });
  it('parses query strings', () => {
    expect(parseQuery('x=1&y=%20z')).toEqual({ x: '1', y: ' z' });
    expect(parseQuery('')).toEqual({});
  });
});
