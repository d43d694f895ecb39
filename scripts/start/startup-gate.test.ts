import { describe, expect, it } from 'vitest';
import { createLogger } from '@outrun/config';
import { createStartupGate, levelOfLine } from './startup-gate';

function capture() {
  const lines: string[] = [];
  return { lines, out: { write: (t: string) => lines.push(t) } };
}

describe('the npm start start-up gate', () => {
  it('holds info lines until the banner, lets warnings through at once, then lets everything through', () => {
    const { lines, out } = capture();
    const gate = createStartupGate(out, 'info');
    const logger = createLogger({ name: 'outrun', level: 'info', destination: gate.stream });
    logger.info('store opened');
    logger.child({ service: 'listener' }).info('listener started');
    logger.warn('binding to 0.0.0.0');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('binding to 0.0.0.0');
    expect(gate.held().map((l) => JSON.parse(l).msg)).toEqual(['store opened', 'listener started']);
    gate.open();
    logger.info('run completed');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('run completed');
  });

  it('is open from the start with LOG_LEVEL=debug', () => {
    const { lines, out } = capture();
    const gate = createStartupGate(out, 'debug');
    createLogger({ name: 'outrun', level: 'debug', destination: gate.stream }).info('store opened');
    expect(lines).toHaveLength(1);
  });

  it('reads pino levels and counts other lines as info', () => {
    expect(levelOfLine('{"level":50,"msg":"x"}')).toBe(50);
    expect(levelOfLine('▲ Next.js 16')).toBe(30);
  });
});
