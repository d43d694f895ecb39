import { describe, expect, it } from 'vitest';
import { fieldLabel, fieldMessage, humanProblem } from './human-problem';

const names = { name: (id: string) => (id === 'http_1' ? '“Notify” (HTTP request)' : undefined) };

describe('humanProblem', () => {
  it('names the node by its label and the field by its form label, and says what to do', () => {
    const p = { path: 'nodes.4.data.url', message: 'Invalid input: expected string, received undefined', nodeId: 'http_1' };
    expect(humanProblem(p, names)).toEqual({ where: '“Notify” (HTTP request)', text: 'URL is required: fill it in.' });
    expect(fieldMessage(p.message)).toBe('Required: fill it in.');
  });

  it('replaces quoted node ids in messages and keeps other messages readable', () => {
    const p = { path: 'nodes.4', message: 'Node "http_1" is not reachable from any trigger', nodeId: 'http_1' };
    expect(humanProblem(p, names).text).toBe('Node “Notify” (HTTP request) is not reachable from any trigger');
    expect(humanProblem({ path: 'nodes.1.data.timeout', message: 'Invalid input: expected number, received string', nodeId: 'http_1' }, names).text).toBe('Timeout should be a number (it is a string).');
    expect(humanProblem({ path: 'triggers', message: 'The workflow has no trigger' }, names)).toEqual({ where: 'Triggers', text: 'The workflow has no trigger' });
    expect(fieldLabel('maxTokens')).toBe('Max tokens');
  });
});

describe('plain messages', () => {
  it('turns zod size messages into what to do', () => {
    expect(humanProblem({ path: 'nodes.1.data.url', message: 'Too small: expected string to have >=1 characters', nodeId: 'http_1' }, names).text).toBe('URL is empty: fill it in.');
    expect(fieldMessage('Too small: expected array to have >=2 items')).toBe('Needs at least 2 items.');
  });
});
